#include "usagemodel.h"

#include <QJsonObject>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace confab {

UsageDay UsageDay::fromJson(const QJsonObject &json)
{
    const auto count
        = [&json](QLatin1StringView key) { return qint64(json.value(key).toDouble()); };
    return {QDate::fromString(json.value("day"_L1).toString(), Qt::ISODate),
            json.value("username"_L1).toString(),
            count("requests"_L1),
            count("prompt_tokens"_L1),
            count("completion_tokens"_L1),
            count("total_tokens"_L1)};
}

void UsageModel::setDays(QList<UsageDay> days)
{
    beginResetModel();
    m_days = std::move(days);
    endResetModel();
}

void UsageModel::retranslate()
{
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int UsageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_days.size());
}

int UsageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const UsageDay &day = m_days.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() >= Requests)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (Column(index.column())) {
    case Day:
        return locale.toString(day.day, QLocale::ShortFormat);
    case User:
        return day.username;
    case Requests:
        return locale.toString(day.requests);
    case PromptTokens:
        return locale.toString(day.promptTokens);
    case CompletionTokens:
        return locale.toString(day.completionTokens);
    case TotalTokens:
        return locale.toString(day.totalTokens);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UsageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Day:
        return tr("Day");
    case User:
        return tr("User");
    case Requests:
        return tr("Requests");
    case PromptTokens:
        return tr("Prompt tokens");
    case CompletionTokens:
        return tr("Completion tokens");
    case TotalTokens:
        return tr("Total tokens");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace confab

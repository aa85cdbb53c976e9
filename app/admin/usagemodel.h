#pragma once

#include <QAbstractTableModel>
#include <QDate>

namespace confab {

// One user's use of the server on one day, as GET /api/v1/admin/usage lists it.
struct UsageDay
{
    QDate day;
    QString username;
    qint64 requests = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;

    static UsageDay fromJson(const QJsonObject &json);
};

// The usage page's table: a row per user and day.
class UsageModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageModel)

public:
    enum Column { Day, User, Requests, PromptTokens, CompletionTokens, TotalTokens, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setDays(QList<UsageDay> days);
    const QList<UsageDay> &days() const { return m_days; }

    // Shows the words again in the language now installed, keeping the selection.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<UsageDay> m_days;
};

} // namespace confab

#include "usagepage.h"

#include "adminerror.h"
#include "dialogs/statuslabel.h"
#include "remote/serverclient.h"
#include "usagechart.h"
#include "usagemodel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMap>
#include <QPushButton>
#include <QTableView>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

enum class Metric { Requests, Tokens };

} // namespace

UsagePage::UsagePage(ServerClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_metricLabel(new QLabel(this))
    , m_metric(new QComboBox(this))
    , m_refreshButton(new QPushButton(this))
    , m_chart(new UsageChart(this))
    , m_table(new QTableView(this))
    , m_model(new UsageModel(this))
    , m_status(new StatusLabel(this))
{
    m_metric->setObjectName(u"m_metric"_s);
    m_metric->addItem(QString(), int(Metric::Requests));
    m_metric->addItem(QString(), int(Metric::Tokens));
    m_metricLabel->setBuddy(m_metric);
    m_refreshButton->setObjectName(u"m_refreshButton"_s);
    m_chart->setObjectName(u"m_chart"_s);
    m_table->setObjectName(u"m_table"_s);
    m_table->setModel(m_model);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_status->setObjectName(u"m_status"_s);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_metricLabel);
    controls->addWidget(m_metric);
    controls->addStretch();
    controls->addWidget(m_refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_chart);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_metric, &QComboBox::currentIndexChanged, this, &UsagePage::updateChart);
    connect(m_refreshButton, &QPushButton::clicked, this, &UsagePage::refresh);
    retranslateUi();
    refresh();
}

void UsagePage::refresh()
{
    m_client.get(u"/admin/usage"_s, QUrlQuery(), this, [this](Result<QJsonValue> reply) {
        if (!reply)
            return m_status->showMessage(StatusLabel::Kind::Error,
                                         AdminError::describe(reply.error()));
        m_status->clearMessage();
        const QJsonObject usage = reply->toObject();
        m_from = QDate::fromString(usage.value("from"_L1).toString(), Qt::ISODate);
        m_to = QDate::fromString(usage.value("to"_L1).toString(), Qt::ISODate);
        QList<UsageDay> days;
        for (const QJsonValue &item : usage.value("items"_L1).toArray())
            days.append(UsageDay::fromJson(item.toObject()));
        // Newest first: today's use is what an admin looks for.
        std::stable_sort(days.begin(), days.end(),
                         [](const UsageDay &a, const UsageDay &b) { return a.day > b.day; });
        m_model->setDays(std::move(days));
        m_table->resizeColumnsToContents();
        updateChart();
        emit refreshed();
    });
}

void UsagePage::updateChart()
{
    const bool tokens = Metric(m_metric->currentData().toInt()) == Metric::Tokens;
    QMap<QDate, qint64> perDay;
    for (const UsageDay &day : m_model->days())
        perDay[day.day] += tokens ? day.totalTokens : day.requests;
    UsageChart::Series series;
    for (QDate day = m_from; day.isValid() && day <= m_to; day = day.addDays(1))
        series.append({day, perDay.value(day)});
    m_chart->setSeries(std::move(series));
}

void UsagePage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
}

void UsagePage::retranslateUi()
{
    m_metricLabel->setText(tr("&Chart of the last 30 days:"));
    m_metric->setItemText(0, tr("Requests per day"));
    m_metric->setItemText(1, tr("Tokens per day"));
    m_refreshButton->setText(tr("Refresh"));
    m_model->retranslate();
}

} // namespace confab

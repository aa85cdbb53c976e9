#pragma once

#include <QDate>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace confab {

class ServerClient;
class StatusLabel;
class UsageChart;
class UsageModel;

// The server's use over the last 30 days: a chart of requests or tokens per day (all users)
// above a table of each user's use per day.
class UsagePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsagePage)

public:
    explicit UsagePage(ServerClient &client, QWidget *parent = nullptr);

    UsageModel *model() const { return m_model; }
    UsageChart *chart() const { return m_chart; }

public slots:
    void refresh();

signals:
    void refreshed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateChart();

    ServerClient &m_client;
    QLabel *m_metricLabel;
    QComboBox *m_metric;
    QPushButton *m_refreshButton;
    UsageChart *m_chart;
    QTableView *m_table;
    UsageModel *m_model;
    StatusLabel *m_status;
    QDate m_from;
    QDate m_to;
};

} // namespace confab

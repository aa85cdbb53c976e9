#pragma once

#include <QDate>
#include <QWidget>

namespace confab {

// A bar per day (requests or tokens), painted in the palette's colours so it reads in the
// light and the dark theme; days without use get an empty slot so gaps show.
class UsageChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageChart)

public:
    using Series = QList<std::pair<QDate, qint64>>;

    explicit UsageChart(QWidget *parent = nullptr);

    void setSeries(Series series);
    const Series &series() const { return m_series; }

    QSize sizeHint() const override { return {480, 180}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    Series m_series;
};

} // namespace confab

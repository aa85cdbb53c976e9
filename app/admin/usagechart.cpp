#include "usagechart.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace confab {

UsageChart::UsageChart(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void UsageChart::setSeries(Series series)
{
    m_series = std::move(series);
    update();
}

void UsageChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette colours = palette();
    painter.fillRect(rect(), colours.base());
    const QFontMetrics metrics = fontMetrics();
    qint64 peak = 0;
    for (const auto &[day, value] : m_series)
        peak = std::max(peak, value);
    painter.setPen(colours.color(QPalette::Text));
    if (m_series.isEmpty() || peak == 0) {
        painter.drawText(rect(), Qt::AlignCenter, tr("No use in this period"));
        return;
    }

    const QLocale locale;
    const int margin = metrics.height() / 2;
    const QString peakText = locale.toString(peak);
    const int axisWidth = metrics.horizontalAdvance(peakText) + margin;
    const QRect plot
        = rect().adjusted(axisWidth + margin, margin, -margin, -(metrics.height() + margin));
    painter.drawText(QRect(0, plot.top() - metrics.height() / 2, axisWidth, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, peakText);
    painter.drawText(QRect(0, plot.bottom() - metrics.height() / 2, axisWidth, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, locale.toString(0));
    painter.setPen(colours.color(QPalette::Mid));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());

    const double slot = double(plot.width()) / double(m_series.size());
    const double barWidth = std::max(1.0, slot * 0.7);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colours.highlight());
    for (qsizetype i = 0; i < m_series.size(); ++i) {
        const double height = double(plot.height()) * double(m_series.at(i).second) / double(peak);
        const double x = plot.left() + slot * double(i) + (slot - barWidth) / 2;
        painter.drawRect(QRectF(x, plot.bottom() - height, barWidth, height));
    }

    // The first and last day under the axis say which period this is.
    painter.setPen(colours.color(QPalette::Text));
    const QRect labels(plot.left(), plot.bottom() + 2, plot.width(), metrics.height());
    painter.drawText(labels, Qt::AlignLeft,
                     locale.toString(m_series.first().first, QLocale::ShortFormat));
    painter.drawText(labels, Qt::AlignRight,
                     locale.toString(m_series.last().first, QLocale::ShortFormat));
}

} // namespace confab

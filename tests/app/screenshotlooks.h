#pragma once

#include "settings/settings.h"

#include <QTest>

// The looks every screenshot test renders, as QtTest data rows "language" and "theme":
// English and Chinese, each light and dark.
namespace confab::testing {

inline void addScreenshotLooks()
{
    using namespace Qt::StringLiterals;
    QTest::addColumn<QString>("language");
    QTest::addColumn<Settings::Theme>("theme");
    QTest::newRow("en-light") << u"en"_s << Settings::Theme::Light;
    QTest::newRow("en-dark") << u"en"_s << Settings::Theme::Dark;
    QTest::newRow("zh-light") << u"zh_CN"_s << Settings::Theme::Light;
    QTest::newRow("zh-dark") << u"zh_CN"_s << Settings::Theme::Dark;
}

} // namespace confab::testing

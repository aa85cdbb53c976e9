#pragma once

#include <QLocale>
#include <QObject>
#include <QTranslator>

namespace confab {

// Installs Confab's and Qt's own translations for a language and swaps them at run time; Qt
// then sends every widget a LanguageChange event, on which it sets its texts again.
class LanguageSwitcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageSwitcher)

public:
    using QObject::QObject;

    // "" follows the system; "en" or "zh_CN" otherwise.
    void apply(const QString &language);
    // The locale the interface speaks now.
    QLocale locale() const { return m_locale; }

private:
    QTranslator m_confab;
    QTranslator m_qt;
    QLocale m_locale;
};

} // namespace confab

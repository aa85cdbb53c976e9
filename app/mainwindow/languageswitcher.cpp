#include "languageswitcher.h"

#include "common/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>

using namespace Qt::StringLiterals;

namespace confab {

void LanguageSwitcher::apply(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QCoreApplication::removeTranslator(&m_confab);
    QCoreApplication::removeTranslator(&m_qt);
    m_locale = locale;
    QLocale::setDefault(locale);

    // English is the source language (and C means none): no file is needed.
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return;
    if (m_confab.load(locale, u"confab"_s, u"_"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(&m_confab);
    else
        qCInfo(lcGui) << "no Confab translation for" << locale.name();
    if (m_qt.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
}

} // namespace confab

#include "safetextdocument.h"

#include <QImage>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Enough to show that a hostile message asked for many resources, bounded all the same.
constexpr qsizetype MaxRecordedRequests = 64;

} // namespace

SafeTextDocument::SafeTextDocument(QObject *parent)
    : QTextDocument(parent)
{}

SafeTextDocument::~SafeTextDocument() = default;

bool SafeTextDocument::isAllowedResource(const QUrl &url)
{
    return url.scheme() == "qrc"_L1 && !url.path().isEmpty();
}

QVariant SafeTextDocument::loadResource(int type, const QUrl &name)
{
    if (m_requested.size() < MaxRecordedRequests)
        m_requested.append(name);
    if (isAllowedResource(name))
        return QTextDocument::loadResource(type, name);
    if (type == ImageResource) {
        // Not a null variant: QTextImageHandler would then try QImage::load(name) itself.
        QImage placeholder(1, 1, QImage::Format_ARGB32_Premultiplied);
        placeholder.fill(Qt::transparent);
        addResource(type, name, placeholder);
        return placeholder;
    }
    return QString();
}

} // namespace confab

#include "router.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace confab {

namespace {

// Split before decoding, so an encoded "/" (%2F) stays inside its segment.
QStringList decodedSegments(const QString &encodedPath)
{
    QStringList segments = encodedPath.mid(1).split(u'/');
    for (QString &segment : segments)
        segment = QUrl::fromPercentEncoding(segment.toUtf8());
    return segments;
}

} // namespace

void Router::add(QByteArrayView method, QStringView pattern, RouteHandler handler)
{
    if (!pattern.startsWith(u'/'))
        qFatal("Router: pattern %s does not start with '/'", qPrintable(pattern.toString()));
    Route route;
    route.method = method.toByteArray();
    route.name = QString::fromLatin1(method) + u' ' + pattern;
    for (const QStringView segment : pattern.mid(1).split(u'/')) {
        const bool isParam
            = segment.size() > 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
        route.segments.append(
            {(isParam ? segment.mid(1, segment.size() - 2) : segment).toString(), isParam});
    }
    for (const Route &existing : std::as_const(m_routes)) {
        if (existing.name == route.name)
            qFatal("Router: %s registered twice", qPrintable(route.name));
    }
    route.handler = std::move(handler);
    m_routes.append(std::move(route));
}

void Router::route(const HttpExchangePtr &exchange) const
{
    const QStringList segments = decodedSegments(exchange->m_url.path(QUrl::FullyEncoded));
    const Route *best = nullptr;
    QStringList allowed;
    for (const Route &candidate : m_routes) {
        if (!matches(candidate, segments, nullptr))
            continue;
        const QString method = QString::fromLatin1(candidate.method);
        if (!allowed.contains(method))
            allowed.append(method);
        if (candidate.method == exchange->method() && (!best || moreSpecific(candidate, *best)))
            best = &candidate;
    }
    if (best) {
        matches(*best, segments, &exchange->m_pathParams);
        exchange->m_routeName = best->name;
        best->handler(exchange);
        return;
    }
    if (allowed.isEmpty()) {
        exchange->replyError(404, u"not_found"_s, u"No such resource."_s);
        return;
    }
    allowed.sort();
    exchange->replyError(405, u"method_not_allowed"_s,
                         u"Use %1 on this resource."_s.arg(allowed.join(u", "_s)), {},
                         {{"Allow", allowed.join(u", "_s).toLatin1()}});
}

bool Router::matches(const Route &route, const QStringList &segments,
                     QHash<QString, QString> *params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const Segment &segment = route.segments.at(i);
        if (segment.isParam) {
            if (segments.at(i).isEmpty())
                return false;
            if (params)
                params->insert(segment.text, segments.at(i));
        } else if (segments.at(i) != segment.text) {
            return false;
        }
    }
    return true;
}

bool Router::moreSpecific(const Route &a, const Route &b)
{
    for (qsizetype i = 0; i < a.segments.size(); ++i) {
        if (a.segments.at(i).isParam != b.segments.at(i).isParam)
            return !a.segments.at(i).isParam;
    }
    return false;
}

} // namespace confab

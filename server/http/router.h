#pragma once

#include "http/httpexchange.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace confab {

using RouteHandler = std::function<void(const HttpExchangePtr &)>;

// Maps method + path to handlers. Patterns are absolute paths whose "{name}" segments match one
// non-empty path segment (percent-decoded into HttpExchange::pathParam(name)); a literal
// segment beats a parameter at the first place two matching routes differ, so
// "/users/me" wins over "/users/{id}". Unknown paths get 404 not_found; a known path with
// another method gets 405 method_not_allowed with an Allow header.
class Router
{
public:
    // Each route is labelled "METHOD pattern" (HttpExchange::routeName(), for metrics).
    // A pattern not starting with '/' or registered twice for one method is a programming
    // error and aborts.
    void add(QByteArrayView method, QStringView pattern, RouteHandler handler);

    // Finds the route, fills the exchange's path parameters and route name, and calls the
    // handler, or answers 404/405.
    void route(const HttpExchangePtr &exchange) const;

private:
    struct Segment
    {
        QString text; // the literal, or the parameter's name
        bool isParam = false;
    };
    struct Route
    {
        QByteArray method;
        QList<Segment> segments;
        QString name;
        RouteHandler handler;
    };

    // Whether the route's pattern matches; fills params when given.
    static bool matches(const Route &route, const QStringList &segments,
                        QHash<QString, QString> *params);
    // Whether a is the more specific of two routes that match the same path.
    static bool moreSpecific(const Route &a, const Route &b);

    QList<Route> m_routes;
};

} // namespace confab

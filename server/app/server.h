#pragma once

#include "common/result.h"
#include "ops/serverconfig.h"

#include <QObject>

#include <functional>
#include <memory>

// confab-server as an object: the database, the stores, the policies, the upstream pool, the
// HTTP and WebSocket routes. The executable runs one; the desktop app can host one (embedded
// mode). Everything runs on the thread that created it; hashing and upstream I/O never block
// that thread.

namespace confab {

class Database;
struct User;

class Server final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    // Opens (and migrates) the database and builds every part; nothing listens yet.
    static Result<std::unique_ptr<Server>> create(const ServerConfig &config,
                                                  QObject *parent = nullptr);
    ~Server() override;

    // Listens on the configured address; the port actually bound (for port 0).
    Result<quint16> start();
    // Stops taking connections, stops every answer in flight (their text so far is saved,
    // marked incomplete), closes WebSockets, then calls done. Bounded by a few seconds.
    void shutdown(std::function<void()> done);

    // Creates an active admin (the command line's --create-admin, the app's local user).
    // Blocks while hashing the password: not for the event loop of a running server.
    static Result<User> createAdmin(Database &database, const QString &username,
                                    const QString &password);

private:
    struct Parts;
    explicit Server(std::unique_ptr<Parts> parts, QObject *parent);
    void wireRoutes();

    std::unique_ptr<Parts> d;
};

} // namespace confab

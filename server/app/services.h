#pragma once

#include <QObject>

// What the route handlers work with. Server owns every part; handlers hold this by reference.

namespace confab {

class ApiTokenStore;
class Authenticator;
class ChatRelay;
class ConversationStore;
class Database;
class JwtSigner;
class LiveConversations;
class LoginThrottle;
class MessageStore;
class PasswordHasher;
class PresetStore;
class QuotaGuard;
class RequestThrottle;
class ServerMetrics;
class ServerSettings;
class SessionControl;
class SessionStore;
class UpstreamPool;
class UsageStore;
class UserStore;
class WebSocketHub;
struct ServerConfig;

struct Services
{
    const ServerConfig &config;
    ServerSettings &settings;
    Database &database;
    UserStore &users;
    SessionStore &sessions;
    ApiTokenStore &apiTokens;
    ConversationStore &conversations;
    MessageStore &messages;
    PresetStore &presets;
    UsageStore &usage;
    PasswordHasher &hasher;
    const JwtSigner &jwt;
    LoginThrottle &loginThrottle;
    RequestThrottle &throttle;
    QuotaGuard &quota;
    LiveConversations &live;
    ServerMetrics &metrics;
    UpstreamPool &upstream;
    ChatRelay &relay;
    WebSocketHub &hub;
    Authenticator &auth;
    SessionControl &sessionControl;
    QObject &context; // worker threads deliver their results to its thread
};

} // namespace confab

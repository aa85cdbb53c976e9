#pragma once

// A test client speaking raw HTTP/1.1 bytes over a QTcpSocket, so tests control exactly what
// goes on the wire (malformed requests, pipelining, slow heads). It never blocks the event
// loop: the server under test runs in the same thread.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <optional>
#include <utility>

namespace confab::test {

struct RawResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;          // decoded when chunked
    QList<QByteArray> chunks; // the chunks, when chunked

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

class RawHttpClient
{
public:
    explicit RawHttpClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                             5000))
            qWarning("RawHttpClient: cannot connect to port %d", port);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { m_buffer += m_socket.readAll(); });
    }

    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    // The next complete response, or nullopt after the timeout (or when the connection closed
    // without one).
    std::optional<RawResponse> readResponse(int timeoutMs = 5000)
    {
        std::optional<RawResponse> response;
        const bool arrived = QTest::qWaitFor(
            [&] {
                response = takeResponse();
                return response.has_value() || (!isConnected() && m_socket.bytesAvailable() == 0);
            },
            timeoutMs);
        // After a timeout or a close, what arrived last may still complete a response.
        if (!arrived || !response)
            response = takeResponse();
        return response;
    }

    // Waits until the server closed the connection; false on timeout.
    bool waitForClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return !isConnected(); }, timeoutMs);
    }

    // Received bytes no response has consumed yet.
    QByteArray unread() const { return m_buffer; }

private:
    // Parses one response off the front of the buffer if it is all there.
    std::optional<RawResponse> takeResponse()
    {
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return std::nullopt;
        RawResponse response;
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        response.status = statusLine.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            response.headers.append(
                {lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
        }
        qsizetype at = headEnd + 4;
        if (response.status == 100) {
            m_buffer.remove(0, at);
            return response;
        }
        if (response.header("transfer-encoding") == "chunked") {
            while (true) {
                const qsizetype lineEnd = m_buffer.indexOf("\r\n", at);
                if (lineEnd < 0)
                    return std::nullopt;
                bool ok = false;
                const qsizetype size = m_buffer.mid(at, lineEnd - at).toLongLong(&ok, 16);
                if (!ok)
                    return std::nullopt;
                if (m_buffer.size() < lineEnd + 2 + size + 2)
                    return std::nullopt;
                at = lineEnd + 2 + size + 2;
                if (size == 0)
                    break;
                const QByteArray chunk = m_buffer.mid(lineEnd + 2, size);
                response.chunks.append(chunk);
                response.body += chunk;
            }
        } else {
            const qsizetype length = response.header("content-length").toLongLong();
            if (m_buffer.size() < at + length)
                return std::nullopt;
            response.body = m_buffer.mid(at, length);
            at += length;
        }
        m_buffer.remove(0, at);
        return response;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace confab::test

#pragma once

#include <QList>
#include <QTextDocument>
#include <QUrl>

namespace confab {

// A QTextDocument for untrusted content: it loads no resource but qrc:. The stock
// loadResource() reads local files named as image or stylesheet sources (and, given a null
// answer, QTextImageHandler then loads the file itself), so a message saying
// <img src="/etc/hostname"> would read that file; here it gets an empty placeholder instead.
class SafeTextDocument final : public QTextDocument
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SafeTextDocument)

public:
    explicit SafeTextDocument(QObject *parent = nullptr);
    ~SafeTextDocument() override;

    // Every resource this document asked for, allowed or not (for tests and diagnostics).
    QList<QUrl> requestedResources() const { return m_requested; }
    static bool isAllowedResource(const QUrl &url);

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    QList<QUrl> m_requested;
};

} // namespace confab

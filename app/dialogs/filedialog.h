#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace confab {

// The app's file choosers. Normally the platform's QFileDialog; a test queues the paths the
// "user" picks instead (an empty path is a cancelled dialog).
class FileDialog
{
public:
    // An existing file to read; empty when cancelled.
    static QString openFileName(QWidget *parent, const QString &caption,
                                const QString &filter = QString());
    // Where to write; suggestedName is offered in the user's documents folder.
    static QString saveFileName(QWidget *parent, const QString &caption,
                                const QString &suggestedName, const QString &filter = QString());

    // From now on no dialog is shown: each call takes the next queued path, or "" (cancel).
    static void setNextPathForTesting(const QString &path);
    // The captions of the dialogs asked for since testing began.
    static QStringList askedForTesting();
    static void clearForTesting();
};

} // namespace confab

#include "filedialog.h"

#include <QDir>
#include <QFileDialog>
#include <QQueue>
#include <QStandardPaths>

namespace confab {

namespace {

struct TestingState
{
    bool active = false;
    QQueue<QString> paths;
    QStringList asked;
};

TestingState &testing()
{
    static TestingState state;
    return state;
}

std::optional<QString> testingAnswer(const QString &caption)
{
    TestingState &state = testing();
    if (!state.active)
        return std::nullopt;
    state.asked.append(caption);
    return state.paths.isEmpty() ? QString() : state.paths.dequeue();
}

} // namespace

QString FileDialog::openFileName(QWidget *parent, const QString &caption, const QString &filter)
{
    if (auto answer = testingAnswer(caption))
        return *answer;
    return QFileDialog::getOpenFileName(
        parent, caption, QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        filter);
}

QString FileDialog::saveFileName(QWidget *parent, const QString &caption,
                                 const QString &suggestedName, const QString &filter)
{
    if (auto answer = testingAnswer(caption))
        return *answer;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QFileDialog::getSaveFileName(parent, caption, QDir(folder).filePath(suggestedName),
                                        filter);
}

void FileDialog::setNextPathForTesting(const QString &path)
{
    testing().active = true;
    testing().paths.enqueue(path);
}

QStringList FileDialog::askedForTesting()
{
    return testing().asked;
}

void FileDialog::clearForTesting()
{
    testing().active = true;
    testing().paths.clear();
    testing().asked.clear();
}

} // namespace confab

#pragma once

#include "common/types.h"

#include <QRandomGenerator>
#include <QStringList>

// Deterministic chat text for benchmarks: conversations of Chinese, English and mixed
// messages built from word lists with a fixed seed, common words more frequent than rare
// ones, user questions short and answers long (lists, code, numbers).

namespace confab::bench {

struct GeneratedConversation
{
    Conversation conversation;
    QList<Message> messages;
};

class CorpusGenerator final
{
public:
    explicit CorpusGenerator(quint32 seed = 20260301);

    // `count` conversations of `messagesEach` messages, alternating user and assistant,
    // with times one minute apart.
    QList<GeneratedConversation> conversations(int count, int messagesEach);

    QString userMessage(bool chinese);
    QString assistantMessage(bool chinese);

    // Substrings of `length` code points of the given texts: all Chinese characters, or all
    // ASCII letters (English); as a user would type them.
    QStringList chineseQueries(const QStringList &texts, int length, int count);
    QStringList englishQueries(const QStringList &texts, int length, int count);

private:
    QString chineseSentence();
    QString englishSentence();
    QString sentence(bool chinese);
    const QString &pick(const QStringList &words);
    QStringList queries(const QStringList &texts, int length, int count, bool (*accept)(QChar));

    QRandomGenerator m_random;
};

} // namespace confab::bench

#include "corpusgenerator.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace confab::bench {

namespace {

const QStringList &englishWords()
{
    static const QStringList words
        = QStringLiteral(
              "the of and to a in is it you that for on with as this are be can or by not your "
              "from "
              "have will an use if all more one when which their there what about so would make "
              "like "
              "time just know how get data function value code file model server client request "
              "response message system user query index string table version update memory thread "
              "network performance example result test build release feature support design error "
              "type class method object array list map key option config setting default parameter "
              "return input output process service database cache session token password account "
              "login security permission role admin browser window layout widget render style "
              "theme "
              "color font size width height image video audio stream buffer queue event signal "
              "slot "
              "loop timer delay retry timeout connection socket protocol header body status route "
              "handler middleware framework library package module import export compile compiler "
              "runtime debug debugger profile benchmark optimize optimization algorithm complexity "
              "sort search filter merge split join transform convert parse serialize encode decode "
              "encrypt decrypt hash sign verify certificate domain address port proxy gateway "
              "cloud "
              "container cluster node deploy pipeline monitor metric log trace alert backup "
              "restore "
              "migrate migration schema column row transaction commit rollback lock deadlock "
              "concurrency parallel async await promise future callback closure lambda generic "
              "template interface abstract virtual inherit override pointer reference allocate "
              "garbage collection leak vector matrix tensor gradient training inference prompt "
              "context embedding vectorize recipe travel weather weekend holiday family friend "
              "coffee breakfast dinner restaurant museum mountain river garden music movie novel "
              "history science physics chemistry biology economy market price budget schedule "
              "meeting project deadline team manager customer product strategy marketing report")
              .split(u' ', Qt::SkipEmptyParts);
    return words;
}

const QStringList &chineseWords()
{
    static const QStringList words
        = QStringLiteral(
              "我们 你 他们 这个 那个 可以 需要 应该 如果 因为 所以 但是 然后 已经 还是 就是 没有 "
              "什么 怎么 为什么 问题 方法 数据 系统 使用 模型 服务器 客户端 请求 响应 消息 时间 "
              "查询 索引 字符串 文件 版本 更新 内存 线程 网络 性能 示例 结果 测试 构建 发布 功能 "
              "支持 设计 错误 类型 对象 数组 列表 参数 返回 输入 输出 进程 服务 数据库 缓存 会话 "
              "令牌 密码 账户 登录 安全 权限 角色 管理员 浏览器 窗口 布局 控件 渲染 样式 主题 颜色 "
              "字体 大小 图片 视频 音频 缓冲区 队列 事件 信号 循环 定时器 延迟 重试 超时 连接 "
              "协议 状态 路由 框架 库 模块 导入 导出 编译 编译器 运行时 调试 优化 算法 复杂度 排序 "
              "搜索 过滤 合并 拆分 转换 解析 序列化 编码 解码 加密 解密 哈希 签名 验证 证书 域名 "
              "地址 端口 代理 网关 云 容器 集群 节点 部署 流水线 监控 指标 日志 告警 备份 恢复 "
              "迁移 事务 提交 回滚 死锁 并发 并行 异步 回调 闭包 泛型 模板 接口 抽象 继承 指针 "
              "引用 分配 垃圾回收 内存泄漏 向量 矩阵 张量 梯度 训练 推理 提示词 上下文 嵌入 新特性 "
              "主要 包括 组合式 响应式 更好的 非常 比较 简单 复杂 重要 常见 建议 注意 首先 其次 "
              "最后 总之 例如 另外 同时 一般 通常 当然 旅行 天气 周末 假期 家人 朋友 咖啡 早餐 "
              "晚餐 餐厅 博物馆 爬山 河流 花园 音乐 电影 小说 历史 科学 物理 化学 生物 经济 市场 "
              "价格 预算 日程 会议 项目 截止日期 团队 经理 客户 产品 策略 营销 报告 学习 工作 "
              "生活 健康 运动 跑步 游泳 读书 写作 翻译 中文 英文 文章 段落 句子 词语 解释 总结 "
              "分析 比较 推荐 计划 目标 步骤 注意事项 优点 缺点 区别 原因 影响 方案 实现 代码 "
              "函数 变量 配置 环境 依赖 安装 升级 兼容 迁移指南 文档 社区 开源 许可证")
              .split(u' ', Qt::SkipEmptyParts);
    return words;
}

const QStringList &codeLines()
{
    static const QStringList lines = {
        u"for (int i = 0; i < n; ++i) sum += values[i];"_s,
        u"const result = await fetch(url, { method: 'POST' });"_s,
        u"SELECT id, title FROM conversations WHERE user_id = ?;"_s,
        u"def parse(text): return json.loads(text)"_s,
        u"git rebase -i HEAD~3"_s,
        u"std::vector<int> v{1, 2, 3};"_s,
        u"npm install --save-dev typescript"_s,
        u"let map = new Map<string, number>();"_s,
    };
    return lines;
}

bool isHan(QChar c)
{
    return c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff;
}

bool isLatinLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

} // namespace

CorpusGenerator::CorpusGenerator(quint32 seed)
    : m_random(seed)
{}

const QString &CorpusGenerator::pick(const QStringList &words)
{
    // Squaring a uniform number favours the front of the list, as word use favours common
    // words.
    const double r = m_random.generateDouble();
    return words.at(qMin(words.size() - 1, qsizetype(r * r * words.size())));
}

QString CorpusGenerator::chineseSentence()
{
    QString text;
    const int words = 5 + m_random.bounded(14);
    for (int i = 0; i < words; ++i) {
        // Technical Chinese mixes in English terms.
        if (m_random.bounded(10) == 0)
            text += u' ' + pick(englishWords()) + u' ';
        else
            text += pick(chineseWords());
        if (i > 0 && i < words - 1 && m_random.bounded(7) == 0)
            text += u"，"_s;
    }
    text += m_random.bounded(6) == 0 ? u"？"_s : u"。"_s;
    return text;
}

QString CorpusGenerator::englishSentence()
{
    QStringList words;
    const int count = 6 + m_random.bounded(16);
    for (int i = 0; i < count; ++i) {
        if (m_random.bounded(25) == 0)
            words.append(QString::number(m_random.bounded(2000)));
        else
            words.append(pick(englishWords()));
    }
    QString text = words.join(u' ');
    text[0] = text.at(0).toUpper();
    text += m_random.bounded(6) == 0 ? u"?"_s : u"."_s;
    return text;
}

QString CorpusGenerator::sentence(bool chinese)
{
    // One sentence in seven is in the other language.
    const bool other = m_random.bounded(7) == 0;
    return chinese != other ? chineseSentence() : englishSentence();
}

QString CorpusGenerator::userMessage(bool chinese)
{
    QString text;
    const int sentences = 1 + m_random.bounded(3);
    for (int i = 0; i < sentences; ++i)
        text += (i && !chinese ? u" "_s : QString()) + sentence(chinese);
    return text;
}

QString CorpusGenerator::assistantMessage(bool chinese)
{
    QString text;
    const int paragraphs = 1 + m_random.bounded(4);
    for (int p = 0; p < paragraphs; ++p) {
        if (p)
            text += u"\n\n"_s;
        const int kind = m_random.bounded(6);
        if (kind == 0) {
            const int items = 2 + m_random.bounded(4);
            for (int i = 0; i < items; ++i)
                text += u"%1. "_s.arg(i + 1) + sentence(chinese) + u'\n';
        } else if (kind == 1) {
            text += u"```\n"_s;
            const int lines = 1 + m_random.bounded(4);
            for (int i = 0; i < lines; ++i)
                text += pick(codeLines()) + u'\n';
            text += u"```"_s;
        } else {
            const int sentences = 1 + m_random.bounded(5);
            for (int i = 0; i < sentences; ++i)
                text += (i && !chinese ? u" "_s : QString()) + sentence(chinese);
        }
    }
    return text;
}

QList<GeneratedConversation> CorpusGenerator::conversations(int count, int messagesEach)
{
    QList<GeneratedConversation> all;
    all.reserve(count);
    QDateTime time(QDate(2025, 1, 1), QTime(9, 0), Qt::UTC);
    for (int c = 0; c < count; ++c) {
        GeneratedConversation generated;
        const bool chinese = m_random.bounded(10) < 6;
        generated.conversation.params.model = u"gpt-4o-mini"_s;
        generated.messages.reserve(messagesEach);
        for (int m = 0; m < messagesEach; ++m) {
            Message message;
            message.role = m % 2 == 0 ? Role::User : Role::Assistant;
            message.content
                = message.role == Role::User ? userMessage(chinese) : assistantMessage(chinese);
            if (message.role == Role::Assistant) {
                message.finishReason = u"stop"_s;
                message.usage = Usage{100 + m_random.bounded(900), 50 + m_random.bounded(500), 0};
                message.usage->totalTokens
                    = message.usage->promptTokens + message.usage->completionTokens;
            }
            time = time.addSecs(60);
            message.createdAt = time;
            generated.messages.append(message);
        }
        generated.conversation.title = generated.messages.constFirst().content.left(24);
        all.append(generated);
    }
    return all;
}

QStringList CorpusGenerator::queries(const QStringList &texts, int length, int count,
                                     bool (*accept)(QChar))
{
    QStringList found;
    QSet<QString> seen;
    for (int attempt = 0; attempt < count * 1000 && found.size() < count; ++attempt) {
        const QString &text = texts.at(m_random.bounded(texts.size()));
        if (text.size() < length)
            continue;
        const int start = m_random.bounded(int(text.size() - length + 1));
        const QString candidate = text.mid(start, length);
        if (!std::all_of(candidate.begin(), candidate.end(), accept) || seen.contains(candidate))
            continue;
        seen.insert(candidate);
        found.append(candidate);
    }
    return found;
}

QStringList CorpusGenerator::chineseQueries(const QStringList &texts, int length, int count)
{
    return queries(texts, length, count, isHan);
}

QStringList CorpusGenerator::englishQueries(const QStringList &texts, int length, int count)
{
    return queries(texts, length, count, isLatinLetter);
}

} // namespace confab::bench

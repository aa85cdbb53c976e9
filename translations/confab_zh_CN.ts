<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminError</name>
    <message>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Only administrators may do this</source>
        <translation>只有管理员可以执行此操作</translation>
    </message>
    <message>
        <source>Not found: it may have been deleted meanwhile</source>
        <translation>未找到：可能已被删除</translation>
    </message>
    <message>
        <source>The server refused the values</source>
        <translation>服务器拒绝了这些值</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again</source>
        <translation>会话已结束，请重新登录</translation>
    </message>
    <message>
        <source>Too many requests; try again shortly</source>
        <translation>请求过于频繁，请稍后再试</translation>
    </message>
    <message>
        <source>The server could not be reached</source>
        <translation>无法连接服务器</translation>
    </message>
    <message>
        <source>The server reported an error (%1)</source>
        <translation>服务器报告了错误（%1）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>confab::AdminPanel</name>
    <message>
        <source>Administer %1</source>
        <translation>管理 %1</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation>服务器设置</translation>
    </message>
</context>
<context>
    <name>confab::AnswerRecorder</name>
    <message>
        <source>Confab was closed while answering.</source>
        <translation>回答过程中 Confab 已关闭。</translation>
    </message>
    <message>
        <source>The answer ended before it was complete.</source>
        <translation>回答在完成前中断了。</translation>
    </message>
</context>
<context>
    <name>confab::Application</name>
    <message>
        <source>Confab cannot start</source>
        <translation>Confab 无法启动</translation>
    </message>
    <message>
        <source>The conversation history in %1 cannot be opened.

%2</source>
        <translation>无法打开 %1 中的对话记录。

%2</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%2 上的 %1</translation>
    </message>
    <message>
        <source>Team server on this computer</source>
        <translation>本机上的团队服务器</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation>正在重新连接…</translation>
    </message>
</context>
<context>
    <name>confab::ChatTab</name>
    <message>
        <source>The answer is incomplete.</source>
        <translation>回答不完整。</translation>
    </message>
    <message>
        <source>The answer failed: %1</source>
        <translation>回答失败：%1</translation>
    </message>
    <message>
        <source>This conversation was deleted.</source>
        <translation>此对话已被删除。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Editing a message: sending it again drops the messages after it.</source>
        <translation>正在编辑消息：重新发送后，它之后的消息将被删除。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Model and sampling parameters of this conversation</source>
        <translation>此对话的模型和采样参数</translation>
    </message>
</context>
<context>
    <name>confab::Composer</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop the answer; what was written so far is kept</source>
        <translation>停止回答；已生成的内容会保留</translation>
    </message>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation>输入消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Message (Ctrl+Enter to send, Enter for a new line)</source>
        <translation>输入消息（Ctrl+Enter 发送，Enter 换行）</translation>
    </message>
    <message numerus="yes">
        <source>Send in %n s</source>
        <translation>
            <numerusform>%n 秒后可发送</numerusform>
        </translation>
    </message>
    <message>
        <source>The server allows one message every few seconds</source>
        <translation>服务器限制每隔几秒才能发送一条消息</translation>
    </message>
</context>
<context>
    <name>confab::ConnectionDialog</name>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
</context>
<context>
    <name>confab::ConnectionEditor</name>
    <message>
        <source>Enter the base URL of an OpenAI-compatible API first.</source>
        <translation>请先输入 OpenAI 兼容 API 的基础 URL。</translation>
    </message>
    <message>
        <source>Asking the provider for its models…</source>
        <translation>正在向服务商获取模型列表…</translation>
    </message>
    <message>
        <source>The provider answered but listed no models: type the model&apos;s name.</source>
        <translation>服务商已响应，但没有列出任何模型：请手动输入模型名称。</translation>
    </message>
    <message>
        <source>Enter the base URL of an OpenAI-compatible API (http or https).</source>
        <translation>请输入 OpenAI 兼容 API 的基础 URL（http 或 https）。</translation>
    </message>
    <message>
        <source>Enter the API key.</source>
        <translation>请输入 API 密钥。</translation>
    </message>
    <message>
        <source>Choose or type a model first.</source>
        <translation>请先选择或输入模型。</translation>
    </message>
    <message>
        <source>Sending a short test message to %1…</source>
        <translation>正在向 %1 发送一条简短的测试消息…</translation>
    </message>
    <message>
        <source>It works: %1 answered.</source>
        <translation>连接成功：%1 已回复。</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>服务商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Base &amp;URL:</source>
        <translation>基础 &amp;URL：</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Custom (OpenAI-compatible)</source>
        <translation>自定义（OpenAI 兼容）</translation>
    </message>
    <message>
        <source>Paste your API key</source>
        <translation>粘贴你的 API 密钥</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Hide the API key</source>
        <translation>隐藏 API 密钥</translation>
    </message>
    <message>
        <source>Show the API key</source>
        <translation>显示 API 密钥</translation>
    </message>
    <message>
        <source>Type a model or fetch the list</source>
        <translation>输入模型名称，或获取模型列表</translation>
    </message>
    <message>
        <source>&amp;Fetch models</source>
        <translation>获取模型(&amp;F)</translation>
    </message>
    <message>
        <source>Ask the provider which models this key can use</source>
        <translation>向服务商查询此密钥可以使用哪些模型</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>Send a short message to check the URL, key and model</source>
        <translation>发送一条简短消息，检查 URL、密钥和模型是否可用</translation>
    </message>
    <message>
        <source>API &amp;key (optional):</source>
        <translation>API 密钥（可选）(&amp;K)：</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>The provider refused access: check that the API key is correct and may use this model.</source>
        <translation>服务商拒绝访问：请检查 API 密钥是否正确，以及是否有权使用此模型。</translation>
    </message>
    <message>
        <source>The API key is wrong or no longer valid: check it and try again.</source>
        <translation>API 密钥错误或已失效：请检查后重试。</translation>
    </message>
    <message>
        <source>Could not reach the provider: check the base URL, your network and the proxy settings.</source>
        <translation>无法连接到服务商：请检查基础 URL、网络连接和代理设置。</translation>
    </message>
    <message>
        <source>The key was accepted, but the provider is limiting requests or the account has no credit left.</source>
        <translation>密钥有效，但服务商正在限制请求频率，或账户余额已用完。</translation>
    </message>
    <message>
        <source>Not found: check the base URL (it usually ends in /v1) and the model name.</source>
        <translation>未找到：请检查基础 URL（通常以 /v1 结尾）和模型名称。</translation>
    </message>
    <message>
        <source>Check that the base URL points to an OpenAI-compatible API (it usually ends in /v1) and that the model exists.</source>
        <translation>请确认基础 URL 指向 OpenAI 兼容的 API（通常以 /v1 结尾），并且该模型存在。</translation>
    </message>
    <message>
        <source>Failed (HTTP %1): %2</source>
        <translation>失败（HTTP %1）：%2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Models found: %1</source>
        <translation>找到的模型：%1 个</translation>
    </message>
</context>
<context>
    <name>confab::ConversationListModel</name>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
</context>
<context>
    <name>confab::ConversationSidebar</name>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Conversation deleted.</source>
        <translation>对话已删除。</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation>取消归档</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
</context>
<context>
    <name>confab::CreateUserDialog</name>
    <message>
        <source>Create user</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>3 to 32 characters</source>
        <translation>3 到 32 个字符</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
</context>
<context>
    <name>confab::ErrorHint</name>
    <message>
        <source>Check the API key of this connection in Settings.</source>
        <translation>请在设置中检查此连接的 API 密钥。</translation>
    </message>
    <message>
        <source>The provider refused the request: check that your key may use this model.</source>
        <translation>服务商拒绝了请求：请确认你的密钥有权使用此模型。</translation>
    </message>
    <message>
        <source>The provider is limiting requests: wait a moment, then retry.</source>
        <translation>服务商正在限制请求频率：请稍候再重试。</translation>
    </message>
    <message>
        <source>The quota is used up: check your plan or ask your administrator.</source>
        <translation>额度已用完：请检查你的套餐或联系管理员。</translation>
    </message>
    <message>
        <source>Check your internet connection and the proxy in Settings, then retry.</source>
        <translation>请检查网络连接和设置中的代理，然后重试。</translation>
    </message>
    <message>
        <source>The provider took too long to answer: retry, or try again later.</source>
        <translation>服务商响应超时：请重试，或稍后再试。</translation>
    </message>
    <message>
        <source>Check the model name in the parameters and the base URL of the connection.</source>
        <translation>请检查参数中的模型名称和连接的基础 URL。</translation>
    </message>
    <message>
        <source>The provider had a problem: retry in a moment.</source>
        <translation>服务商出现问题：请稍后重试。</translation>
    </message>
    <message>
        <source>Free some disk space, then retry.</source>
        <translation>请释放一些磁盘空间，然后重试。</translation>
    </message>
    <message>
        <source>Confab was closed while answering: retry to get a full answer.</source>
        <translation>回答过程中 Confab 被关闭：重试即可获得完整回答。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出现了问题。</translation>
    </message>
    <message numerus="yes">
        <source>The server allows one message every few seconds: wait %n s, then send again.</source>
        <translation>
            <numerusform>服务器限制每隔几秒才能发送一条消息：请等待 %n 秒后再发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>daily message</source>
        <translation>每日消息</translation>
    </message>
    <message>
        <source>monthly message</source>
        <translation>每月消息</translation>
    </message>
    <message>
        <source>daily token</source>
        <translation>每日 token</translation>
    </message>
    <message>
        <source>monthly token</source>
        <translation>每月 token</translation>
    </message>
    <message>
        <source>Your %1 quota is used up (%2 of %3). It resets on %4.</source>
        <translation>你的%1配额已用完（%2 / %3），将于 %4 重置。</translation>
    </message>
    <message>
        <source>usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>The server keeps only a few conversations open at once: close a tab, then send again.</source>
        <translation>服务器同时只保留少量打开的对话：请关闭一个标签页后再发送。</translation>
    </message>
    <message>
        <source>You signed in on another device, so this one was signed out.</source>
        <translation>你已在另一台设备上登录，因此本设备已退出登录。</translation>
    </message>
    <message>
        <source>An administrator disabled this account.</source>
        <translation>管理员已停用此账户。</translation>
    </message>
    <message>
        <source>Your account waits for an administrator&apos;s approval.</source>
        <translation>你的账户正在等待管理员批准。</translation>
    </message>
    <message>
        <source>This server does not take new accounts.</source>
        <translation>此服务器不接受新账户注册。</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>You are signed out of the server: sign in again, then send.</source>
        <translation>你已退出服务器登录：请重新登录后再发送。</translation>
    </message>
    <message>
        <source>The password of this account changed: sign in again.</source>
        <translation>此账户的密码已更改：请重新登录。</translation>
    </message>
    <message>
        <source>An administrator ended this session.</source>
        <translation>管理员已结束此会话。</translation>
    </message>
    <message>
        <source>The server&apos;s model provider had a problem: retry in a moment.</source>
        <translation>服务器的模型服务商出现问题：请稍后重试。</translation>
    </message>
    <message>
        <source>The message is too long for the server.</source>
        <translation>消息太长，服务器无法接受。</translation>
    </message>
</context>
<context>
    <name>confab::FileSecretStore</name>
    <message>
        <source>No secret is stored for %1.</source>
        <translation>没有为 %1 保存密钥。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 已损坏：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>confab::HostServerDialog</name>
    <message>
        <source>Host a Team Server</source>
        <translation>托管团队服务器</translation>
    </message>
    <message>
        <source>The server has stopped.</source>
        <translation>服务器已停止。</translation>
    </message>
    <message>
        <source>Run a Confab server in this app so that teammates can chat through your model connection. You become its admin.</source>
        <translation>在本应用中运行 Confab 服务器，团队成员即可通过你的模型连接聊天。你将成为它的管理员。</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Teammates on the network</source>
        <translation>网络中的团队成员</translation>
    </message>
    <message>
        <source>This computer only</source>
        <translation>仅限本机</translation>
    </message>
    <message>
        <source>Need your approval</source>
        <translation>需经你批准</translation>
    </message>
    <message>
        <source>Open to anyone who can connect</source>
        <translation>能连接的人均可注册</translation>
    </message>
    <message>
        <source>Closed: only accounts you create</source>
        <translation>关闭：仅限你创建的账户</translation>
    </message>
    <message>
        <source>Model connection:</source>
        <translation>模型连接：</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Database file:</source>
        <translation>数据库文件：</translation>
    </message>
    <message>
        <source>Who can connect:</source>
        <translation>谁可以连接：</translation>
    </message>
    <message>
        <source>New accounts:</source>
        <translation>新账户：</translation>
    </message>
    <message>
        <source>Give teammates this address</source>
        <translation>把这个地址发给团队成员</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Add a model connection in Settings first: the server answers through it.</source>
        <translation>请先在设置中添加模型连接：服务器要通过它来回答。</translation>
    </message>
    <message>
        <source>Database File</source>
        <translation>数据库文件</translation>
    </message>
    <message>
        <source>SQLite databases (*.db)</source>
        <translation>SQLite 数据库 (*.db)</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>The server did not start: %1</source>
        <translation>服务器未能启动：%1</translation>
    </message>
    <message>
        <source>Stopping: saving the answers in progress…</source>
        <translation>正在停止：保存进行中的回答…</translation>
    </message>
    <message>
        <source>Only this computer can connect</source>
        <translation>只有本机可以连接</translation>
    </message>
    <message>
        <source>This computer has no network address right now: teammates cannot reach it.</source>
        <translation>本机目前没有网络地址：团队成员无法连接。</translation>
    </message>
    <message>
        <source>Your admin account is %1; the app signs in with it. Teammates register at the address above or get an account from you.</source>
        <translation>你的管理员账户是 %1，本应用用它登录。团队成员可以在上面的地址注册，也可以由你为他们创建账户。</translation>
    </message>
</context>
<context>
    <name>confab::LocalChatService</name>
    <message>
        <source>There is no message to answer.</source>
        <translation>没有可以回答的消息。</translation>
    </message>
    <message>
        <source>Only your own messages can be edited.</source>
        <translation>只能编辑你自己发送的消息。</translation>
    </message>
    <message>
        <source>The message is empty or too long.</source>
        <translation>消息为空或过长。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Built-in presets cannot be changed.</source>
        <translation>内置预设不能修改。</translation>
    </message>
    <message>
        <source>Built-in presets cannot be deleted.</source>
        <translation>内置预设不能删除。</translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation>消息为空。</translation>
    </message>
    <message>
        <source>The message is too long (at most %L1 characters).</source>
        <translation>消息过长（最多 %L1 个字符）。</translation>
    </message>
    <message>
        <source>An answer is still being written in this conversation.</source>
        <translation>此对话中的回答仍在生成中。</translation>
    </message>
</context>
<context>
    <name>confab::MainWindow</name>
    <message>
        <source>About Confab</source>
        <translation>关于 Confab</translation>
    </message>
    <message>
        <source>Confab %1
A native client for OpenAI-compatible chat models.</source>
        <translation>Confab %1
适用于 OpenAI 兼容聊天模型的原生客户端。</translation>
    </message>
    <message>
        <source>Confab</source>
        <translation>Confab</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;New Chat</source>
        <translation>新建对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>关闭标签页(&amp;C)</translation>
    </message>
    <message>
        <source>Next Tab</source>
        <translation>下一个标签页</translation>
    </message>
    <message>
        <source>Previous Tab</source>
        <translation>上一个标签页</translation>
    </message>
    <message>
        <source>&amp;Import ChatGPT Export…</source>
        <translation>导入 ChatGPT 导出文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export Conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Manage Presets…</source>
        <translation>管理预设(&amp;M)…</translation>
    </message>
    <message>
        <source>Show &amp;Sidebar</source>
        <translation>显示侧边栏(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Search Conversations</source>
        <translation>搜索对话(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About Confab</source>
        <translation>关于 Confab(&amp;A)</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <source>Press Ctrl+T for a new chat, or begin with a preset:</source>
        <translation>按 Ctrl+T 新建对话，或从预设开始：</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Could not load presets: %1</source>
        <translation>无法加载预设：%1</translation>
    </message>
    <message>
        <source>Could not start a conversation: %1</source>
        <translation>无法开始对话：%1</translation>
    </message>
    <message>
        <source>No connection</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Import a ChatGPT export</source>
        <translation>导入 ChatGPT 导出文件</translation>
    </message>
    <message>
        <source>ChatGPT export (conversations.json *.json);;All files (*)</source>
        <translation>ChatGPT 导出文件 (conversations.json *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was added.</source>
        <translation>导入已取消，未添加任何内容。</translation>
    </message>
    <message>
        <source>The file could not be imported: %1</source>
        <translation>无法导入该文件：%1</translation>
    </message>
    <message numerus="yes">
        <source>Saving %n conversation(s)…</source>
        <translation>
            <numerusform>正在保存 %n 个对话…</numerusform>
        </translation>
    </message>
    <message>
        <source>The import failed and nothing was added: %1</source>
        <translation>导入失败，未添加任何内容：%1</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s).</source>
        <translation>
            <numerusform>已导入 %n 个对话。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be read and were skipped.</source>
        <translation>
            <numerusform>%n 个无法读取，已跳过。</numerusform>
        </translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Se&amp;rver</source>
        <translation>服务器(&amp;R)</translation>
    </message>
    <message>
        <source>Sign &amp;In to a Team Server…</source>
        <translation>登录团队服务器(&amp;I)…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Host a Team Server…</source>
        <translation>托管团队服务器(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Administer Server…</source>
        <translation>管理服务器(&amp;A)…</translation>
    </message>
    <message>
        <source>via %1</source>
        <translation>通过 %1</translation>
    </message>
    <message>
        <source>Too many open conversations</source>
        <translation>打开的对话过多</translation>
    </message>
    <message>
        <source>This team server keeps only a few conversations open at once. Close “%1” and send your message?</source>
        <translation>此团队服务器同时只保留少量打开的对话。要关闭“%1”并发送你的消息吗？</translation>
    </message>
    <message>
        <source>Sign In Again…</source>
        <translation>重新登录…</translation>
    </message>
</context>
<context>
    <name>confab::MemorySecretStore</name>
    <message>
        <source>No secret is stored for %1.</source>
        <translation>没有为 %1 保存密钥。</translation>
    </message>
</context>
<context>
    <name>confab::MessageDelegate</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Hide reasoning</source>
        <translation>隐藏推理过程</translation>
    </message>
    <message>
        <source>Show reasoning</source>
        <translation>显示推理过程</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>The answer is incomplete.</source>
        <translation>回答不完整。</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>confab::MessageView</name>
    <message>
        <source>Copy selection</source>
        <translation>复制所选内容</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>打开链接</translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation>复制链接地址</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Edit and resend…</source>
        <translation>编辑并重新发送…</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>删除消息</translation>
    </message>
</context>
<context>
    <name>confab::ParamsPanel</name>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>The model that answers; empty uses the connection&apos;s model</source>
        <translation>用于回答的模型；留空则使用连接的默认模型</translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation>温度(&amp;T)</translation>
    </message>
    <message>
        <source>Top &amp;p</source>
        <translation>核采样(&amp;P)</translation>
    </message>
    <message>
        <source>Max to&amp;kens</source>
        <translation>最大 token 数(&amp;K)</translation>
    </message>
    <message>
        <source>P&amp;resence penalty</source>
        <translation>存在惩罚(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Frequency penalty</source>
        <translation>频率惩罚(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Stop sequences</source>
        <translation>停止序列(&amp;S)</translation>
    </message>
    <message>
        <source>One per line</source>
        <translation>每行一个</translation>
    </message>
    <message>
        <source>&amp;Context messages</source>
        <translation>上下文消息数(&amp;C)</translation>
    </message>
    <message>
        <source>How many recent messages are sent with each question</source>
        <translation>每次提问时附带发送的最近消息条数</translation>
    </message>
</context>
<context>
    <name>confab::PasswordDialog</name>
    <message>
        <source>Reset password of %1</source>
        <translation>重置 %1 的密码</translation>
    </message>
    <message>
        <source>Every session of the account ends.</source>
        <translation>该账户的所有会话都将结束。</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>8 to 128 characters; not a common password and not the username.</source>
        <translation>8 到 128 个字符；不能是常见密码，也不能与用户名相同。</translation>
    </message>
</context>
<context>
    <name>confab::PresetManagerDialog</name>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>复制(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Save all of your own presets to a JSON file</source>
        <translation>将你自己的所有预设保存到 JSON 文件</translation>
    </message>
    <message>
        <source>Built-in presets cannot be changed. Duplicate one to make your own version.</source>
        <translation>内置预设不能修改。复制一份即可得到可编辑的版本。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>How the model should behave, e.g. “You are a careful translator between English and Chinese.”</source>
        <translation>模型应当如何表现，例如“你是一位严谨的中英翻译。”</translation>
    </message>
    <message>
        <source>Sent for the user when a conversation starts from this preset (optional)</source>
        <translation>用此预设开始对话时，代用户发送的第一条消息（可选）</translation>
    </message>
    <message>
        <source>Default parameters</source>
        <translation>默认参数</translation>
    </message>
    <message>
        <source>The connection&apos;s model</source>
        <translation>使用连接的模型</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Mo&amp;del:</source>
        <translation>模型(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T)：</translation>
    </message>
    <message>
        <source>Top &amp;P:</source>
        <translation>核采样(&amp;P)：</translation>
    </message>
    <message>
        <source>Max t&amp;okens:</source>
        <translation>最大 token 数(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Desc&amp;ription:</source>
        <translation>描述(&amp;R)：</translation>
    </message>
    <message>
        <source>I&amp;con:</source>
        <translation>图标(&amp;C)：</translation>
    </message>
    <message>
        <source>S&amp;ystem prompt:</source>
        <translation>系统提示词(&amp;Y)：</translation>
    </message>
    <message>
        <source>Opening &amp;message:</source>
        <translation>开场消息(&amp;M)：</translation>
    </message>
    <message>
        <source>The presets could not be loaded: %1</source>
        <translation>无法加载预设：%1</translation>
    </message>
    <message>
        <source>Built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>My presets</source>
        <translation>我的预设</translation>
    </message>
    <message>
        <source>Built-in: read-only. %1</source>
        <translation>内置（只读）。%1</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1（副本）</translation>
    </message>
    <message>
        <source>Give the preset a name.</source>
        <translation>请为预设起一个名称。</translation>
    </message>
    <message>
        <source>The preset could not be saved: %1</source>
        <translation>无法保存预设：%1</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <source>Delete the preset “%1”? This cannot be undone.</source>
        <translation>删除预设“%1”？此操作无法撤销。</translation>
    </message>
    <message>
        <source>The preset could not be deleted: %1</source>
        <translation>无法删除预设：%1</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>Import Presets</source>
        <translation>导入预设</translation>
    </message>
    <message>
        <source>Confab presets (*.json);;All files (*)</source>
        <translation>Confab 预设 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large to be a presets file.</source>
        <translation>%1 太大，不是有效的预设文件。</translation>
    </message>
    <message>
        <source>%1 could not be imported: %2</source>
        <translation>无法导入 %1：%2</translation>
    </message>
    <message>
        <source>%1 holds no presets.</source>
        <translation>%1 中没有预设。</translation>
    </message>
    <message>
        <source>Imported %1 of %2 presets, then stopped: %3</source>
        <translation>已导入 %2 个预设中的 %1 个，随后中止：%3</translation>
    </message>
    <message>
        <source>You have no presets of your own to export yet.</source>
        <translation>你还没有可导出的自定义预设。</translation>
    </message>
    <message>
        <source>Export Presets</source>
        <translation>导出预设</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>the new preset</source>
        <translation>新预设</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Discard your changes to “%1”?</source>
        <translation>放弃对“%1”的更改？</translation>
    </message>
    <message>
        <source>Presets imported: %1</source>
        <translation>已导入预设：%1 个</translation>
    </message>
    <message>
        <source>Presets exported to %1: %2</source>
        <translation>已导出到 %1 的预设：%2 个</translation>
    </message>
</context>
<context>
    <name>confab::PresetsPage</name>
    <message>
        <source>New preset</source>
        <translation>新预设</translation>
    </message>
    <message>
        <source>The parameters of %1 are not valid: %2</source>
        <translation>%1 的参数无效：%2</translation>
    </message>
    <message>
        <source>Saved; users see these presets now.</source>
        <translation>已保存，用户现在可以看到这些预设。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <source>Opening message:</source>
        <translation>开场消息：</translation>
    </message>
    <message>
        <source>Parameters (JSON):</source>
        <translation>参数（JSON）：</translation>
    </message>
    <message>
        <source>{&quot;model&quot;: &quot;…&quot;, &quot;temperature&quot;: 0.7}</source>
        <translation>{&quot;model&quot;: &quot;…&quot;, &quot;temperature&quot;: 0.7}</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>confab::QuotaDialog</name>
    <message>
        <source>Quotas of %1</source>
        <translation>%1 的配额</translation>
    </message>
    <message>
        <source>Requests per day:</source>
        <translation>每日请求数：</translation>
    </message>
    <message>
        <source>Requests per month:</source>
        <translation>每月请求数：</translation>
    </message>
    <message>
        <source>Tokens per day:</source>
        <translation>每日 token 数：</translation>
    </message>
    <message>
        <source>Tokens per month:</source>
        <translation>每月 token 数：</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>confab::RemoteChatService</name>
    <message>
        <source>That message is not shown here.</source>
        <translation>该消息不在此处显示。</translation>
    </message>
    <message>
        <source>An answer is still being written here.</source>
        <translation>此处仍有回答正在生成。</translation>
    </message>
    <message>
        <source>You are signed out of the server; sign in again to send this message.</source>
        <translation>你已退出服务器登录，请重新登录以发送此消息。</translation>
    </message>
    <message>
        <source>Not connected to the server right now; nothing was sent. Confab is reconnecting.</source>
        <translation>当前未连接到服务器，没有发送任何内容。Confab 正在重新连接。</translation>
    </message>
    <message>
        <source>The connection to the server was lost; the text so far is kept.</source>
        <translation>与服务器的连接已断开，已保留目前的文本。</translation>
    </message>
    <message>
        <source>The connection to the server was lost before it answered.</source>
        <translation>服务器回答之前连接已断开。</translation>
    </message>
    <message>
        <source>The presets of a team server are managed by its admins.</source>
        <translation>团队服务器的预设由其管理员管理。</translation>
    </message>
    <message>
        <source>Conversations are imported on this computer only, not into a team server.</source>
        <translation>对话只能导入到本机，不能导入到团队服务器。</translation>
    </message>
</context>
<context>
    <name>confab::ServerClient</name>
    <message>
        <source>The server answered HTTP %1 without an explanation.</source>
        <translation>服务器返回 HTTP %1，但未说明原因。</translation>
    </message>
    <message>
        <source>The server&apos;s sign-in reply has no tokens.</source>
        <translation>服务器的登录响应中没有令牌。</translation>
    </message>
    <message>
        <source>Not signed in to the server.</source>
        <translation>未登录服务器。</translation>
    </message>
    <message>
        <source>The server&apos;s reply is not JSON: %1</source>
        <translation>服务器的响应不是 JSON：%1</translation>
    </message>
</context>
<context>
    <name>confab::ServerLoginDialog</name>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>正在创建账户…</translation>
    </message>
    <message>
        <source>Your account was created. An administrator must approve it before you can sign in.</source>
        <translation>你的账户已创建。管理员批准后你才能登录。</translation>
    </message>
    <message>
        <source>Create an Account on a Team Server</source>
        <translation>在团队服务器上创建账户</translation>
    </message>
    <message>
        <source>Sign In to a Team Server</source>
        <translation>登录团队服务器</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>chat.example.com or http://192.168.1.20:8080</source>
        <translation>chat.example.com 或 http://192.168.1.20:8080</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation>至少 8 个字符</translation>
    </message>
    <message>
        <source>&amp;Create a new account</source>
        <translation>创建新账户(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;E-mail (optional):</source>
        <translation>电子邮件（可选）(&amp;E)：</translation>
    </message>
    <message>
        <source>Create Account</source>
        <translation>创建账户</translation>
    </message>
    <message>
        <source>Sign In</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>confab::ServerSocket</name>
    <message>
        <source>The server ended this session (%1).</source>
        <translation>服务器结束了此会话（%1）。</translation>
    </message>
</context>
<context>
    <name>confab::SettingsDialog</name>
    <message>
        <source>Team server</source>
        <translation>团队服务器</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>The providers Confab can talk to. New conversations use the active one; API keys are kept in the secret store.</source>
        <translation>Confab 可以使用的服务商。新对话使用当前启用的连接；API 密钥保存在密钥存储中。</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Make &amp;active</source>
        <translation>设为当前(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Message &amp;font size:</source>
        <translation>消息字号(&amp;F)：</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Sending messages</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Enter sends; Shift+Enter starts a new line</source>
        <translation>按 Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>%1 sends; Enter starts a new line</source>
        <translation>按 %1 发送，Enter 换行</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation>使用系统代理设置</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <source>Manual HTTP proxy</source>
        <translation>手动设置 HTTP 代理</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>端口(&amp;P)：</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation>%1 — %2，%3</translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation>%1（当前）</translation>
    </message>
    <message>
        <source>The stored API key could not be read: %1</source>
        <translation>无法读取已保存的 API 密钥：%1</translation>
    </message>
    <message>
        <source>Add Connection</source>
        <translation>添加连接</translation>
    </message>
    <message>
        <source>Edit Connection</source>
        <translation>编辑连接</translation>
    </message>
    <message>
        <source>The API key could not be stored, so the connection was not saved: %1</source>
        <translation>无法保存 API 密钥，因此连接未保存：%1</translation>
    </message>
    <message>
        <source>Remove Connection</source>
        <translation>移除连接</translation>
    </message>
    <message>
        <source>Remove the connection “%1”? Its API key is deleted too.</source>
        <translation>移除连接“%1”？其 API 密钥也会一并删除。</translation>
    </message>
    <message>
        <source>The connection was removed, but its API key could not be deleted: %1</source>
        <translation>连接已移除，但无法删除其 API 密钥：%1</translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s host name; until then the previous setting stays in use.</source>
        <translation>请输入代理主机名；在此之前仍使用原来的设置。</translation>
    </message>
</context>
<context>
    <name>confab::SettingsPage</name>
    <message>
        <source>Applied; the server now uses the values shown.</source>
        <translation>已应用，服务器现在使用所示的值。</translation>
    </message>
    <message>
        <source>Messages of context sent upstream:</source>
        <translation>发送给上游的上下文消息数：</translation>
    </message>
    <message>
        <source>Least time between a user&apos;s requests:</source>
        <translation>同一用户两次请求的最短间隔：</translation>
    </message>
    <message>
        <source>Registration:</source>
        <translation>注册方式：</translation>
    </message>
    <message>
        <source>Open conversations per user:</source>
        <translation>每位用户可同时打开的对话数：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Open: anyone can sign up</source>
        <translation>开放：任何人都可以注册</translation>
    </message>
    <message>
        <source>Approval: an administrator approves new accounts</source>
        <translation>审批：新账户需经管理员批准</translation>
    </message>
    <message>
        <source>Closed: only administrators create accounts</source>
        <translation>关闭：只有管理员可以创建账户</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
</context>
<context>
    <name>confab::TeamSession</name>
    <message>
        <source>You are not signed in to %1.</source>
        <translation>你尚未登录 %1。</translation>
    </message>
</context>
<context>
    <name>confab::UsageChart</name>
    <message>
        <source>No use in this period</source>
        <translation>此期间没有使用记录</translation>
    </message>
</context>
<context>
    <name>confab::UsageModel</name>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>提示 token</translation>
    </message>
    <message>
        <source>Completion tokens</source>
        <translation>补全 token</translation>
    </message>
    <message>
        <source>Total tokens</source>
        <translation>总 token 数</translation>
    </message>
</context>
<context>
    <name>confab::UsagePage</name>
    <message>
        <source>&amp;Chart of the last 30 days:</source>
        <translation>近 30 天图表(&amp;C)：</translation>
    </message>
    <message>
        <source>Requests per day</source>
        <translation>每日请求数</translation>
    </message>
    <message>
        <source>Tokens per day</source>
        <translation>每日 token 数</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>confab::UserListModel</name>
    <message>
        <source>Unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Requests / day</source>
        <translation>每日请求</translation>
    </message>
    <message>
        <source>Requests / month</source>
        <translation>每月请求</translation>
    </message>
    <message>
        <source>Tokens / day</source>
        <translation>每日 token</translation>
    </message>
    <message>
        <source>Tokens / month</source>
        <translation>每月 token</translation>
    </message>
</context>
<context>
    <name>confab::UsersPage</name>
    <message>
        <source>Created the user %1.</source>
        <translation>已创建用户 %1。</translation>
    </message>
    <message>
        <source>Approved %1.</source>
        <translation>已批准 %1。</translation>
    </message>
    <message>
        <source>Disabled %1; their sessions ended.</source>
        <translation>已停用 %1，其会话均已结束。</translation>
    </message>
    <message>
        <source>Enabled %1.</source>
        <translation>已启用 %1。</translation>
    </message>
    <message>
        <source>%1 is now an administrator.</source>
        <translation>%1 现在是管理员。</translation>
    </message>
    <message>
        <source>%1 is now a regular user.</source>
        <translation>%1 现在是普通用户。</translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation>删除用户</translation>
    </message>
    <message>
        <source>Delete %1 with all their conversations? This cannot be undone.</source>
        <translation>删除 %1 及其所有对话？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation>已删除 %1。</translation>
    </message>
    <message>
        <source>Set a new password for %1.</source>
        <translation>已为 %1 设置新密码。</translation>
    </message>
    <message>
        <source>Saved the quotas of %1.</source>
        <translation>已保存 %1 的配额。</translation>
    </message>
    <message>
        <source>Signed %1 out everywhere.</source>
        <translation>已让 %1 在所有设备上退出登录。</translation>
    </message>
    <message>
        <source>Search users</source>
        <translation>搜索用户</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Create user…</source>
        <translation>创建用户…</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Make administrator</source>
        <translation>设为管理员</translation>
    </message>
    <message>
        <source>Make regular user</source>
        <translation>设为普通用户</translation>
    </message>
    <message>
        <source>Quotas…</source>
        <translation>配额…</translation>
    </message>
    <message>
        <source>Sign out everywhere</source>
        <translation>全部退出登录</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>confab::WelcomeDialog</name>
    <message>
        <source>Welcome to Confab</source>
        <translation>欢迎使用 Confab</translation>
    </message>
    <message>
        <source>Confab talks to an OpenAI-compatible provider with your own API key. Choose a provider, paste the key, and test the connection. You can add more connections later in Settings.</source>
        <translation>Confab 使用你自己的 API 密钥连接 OpenAI 兼容的服务商。请选择服务商、粘贴密钥并测试连接。之后可以在“设置”中添加更多连接。</translation>
    </message>
    <message>
        <source>Where to keep the API key</source>
        <translation>API 密钥保存位置</translation>
    </message>
    <message>
        <source>Looking for the system keychain…</source>
        <translation>正在查找系统钥匙串…</translation>
    </message>
    <message>
        <source>Keep the key for this session only (you enter it again after a restart)</source>
        <translation>仅在本次运行中保留密钥（重启后需要重新输入）</translation>
    </message>
    <message>
        <source>Store the key in a plain file on this computer</source>
        <translation>将密钥保存在本机的明文文件中</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>The API key could not be stored: %1</source>
        <translation>无法保存 API 密钥：%1</translation>
    </message>
    <message>
        <source>The key is kept in the system keychain, encrypted by your operating system.</source>
        <translation>密钥将保存在系统钥匙串中，由操作系统加密保护。</translation>
    </message>
    <message>
        <source>No system keychain answered on this computer (such as GNOME Keyring, KWallet, the macOS Keychain or the Windows Credential Manager), so the key cannot be stored securely. Choose what Confab should do with it:</source>
        <translation>这台电脑上没有可用的系统钥匙串（例如 GNOME Keyring、KWallet、macOS 钥匙串或 Windows 凭据管理器），因此无法安全地保存密钥。请选择 Confab 如何处理密钥：</translation>
    </message>
    <message>
        <source>The file is not encrypted: anyone who can read your files can read the key.</source>
        <translation>该文件未加密：任何能读取你文件的人都能看到密钥。</translation>
    </message>
    <message>
        <source>I understand, store the key in this plain file</source>
        <translation>我已了解，将密钥保存在此明文文件中</translation>
    </message>
</context>
</TS>

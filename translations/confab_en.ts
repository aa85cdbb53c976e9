<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AdminError</name>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only administrators may do this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found: it may have been deleted meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has ended; sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests; try again shortly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not be reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server reported an error (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::AdminPanel</name>
    <message>
        <source>Administer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::AnswerRecorder</name>
    <message>
        <source>Confab was closed while answering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer ended before it was complete.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::Application</name>
    <message>
        <source>Confab cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conversation history in %1 cannot be opened.

%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Team server on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ChatTab</name>
    <message>
        <source>The answer is incomplete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This conversation was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Editing a message: sending it again drops the messages after it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model and sampling parameters of this conversation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::Composer</name>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the answer; what was written so far is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message (Enter to send, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message (Ctrl+Enter to send, Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Send in %n s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The server allows one message every few seconds</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ConnectionDialog</name>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ConnectionEditor</name>
    <message>
        <source>Enter the base URL of an OpenAI-compatible API first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the provider for its models…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider answered but listed no models: type the model&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the base URL of an OpenAI-compatible API (http or https).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the API key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose or type a model first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a short test message to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It works: %1 answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base &amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom (OpenAI-compatible)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste your API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a model or fetch the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fetch models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the provider which models this key can use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a short message to check the URL, key and model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused access: check that the API key is correct and may use this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key is wrong or no longer valid: check it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach the provider: check the base URL, your network and the proxy settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key was accepted, but the provider is limiting requests or the account has no credit left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found: check the base URL (it usually ends in /v1) and the model name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the base URL points to an OpenAI-compatible API (it usually ends in /v1) and that the model exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed (HTTP %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Models found: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ConversationListModel</name>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ConversationSidebar</name>
    <message>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversation deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unarchive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::CreateUserDialog</name>
    <message>
        <source>Create user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 to 32 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ErrorHint</name>
    <message>
        <source>Check the API key of this connection in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider refused the request: check that your key may use this model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider is limiting requests: wait a moment, then retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quota is used up: check your plan or ask your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check your internet connection and the proxy in Settings, then retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider took too long to answer: retry, or try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the model name in the parameters and the base URL of the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider had a problem: retry in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free some disk space, then retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab was closed while answering: retry to get a full answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The server allows one message every few seconds: wait %n s, then send again.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>daily message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monthly message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>daily token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>monthly token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your %1 quota is used up (%2 of %3). It resets on %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server keeps only a few conversations open at once: close a tab, then send again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You signed in on another device, so this one was signed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator disabled this account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account waits for an administrator&apos;s approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not take new accounts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed out of the server: sign in again, then send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password of this account changed: sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An administrator ended this session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s model provider had a problem: retry in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long for the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::FileSecretStore</name>
    <message>
        <source>No secret is stored for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::HostServerDialog</name>
    <message>
        <source>Host a Team Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server has stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a Confab server in this app so that teammates can chat through your model connection. You become its admin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any free port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teammates on the network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Need your approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open to anyone who can connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: only accounts you create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model connection:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who can connect:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New accounts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give teammates this address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a model connection in Settings first: the server answers through it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite databases (*.db)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping: saving the answers in progress…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this computer can connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer has no network address right now: teammates cannot reach it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your admin account is %1; the app signs in with it. Teammates register at the address above or get an account from you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::LocalChatService</name>
    <message>
        <source>There is no message to answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only your own messages can be edited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is empty or too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in presets cannot be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in presets cannot be deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too long (at most %L1 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An answer is still being written in this conversation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::MainWindow</name>
    <message>
        <source>About Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab %1
A native client for OpenAI-compatible chat models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import ChatGPT Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export Conversation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Manage Presets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;Sidebar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Ctrl+T for a new chat, or begin with a preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load presets: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start a conversation: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import a ChatGPT export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ChatGPT export (conversations.json *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saving %n conversation(s)…</source>
        <translation>
            <numerusform>Saving %n conversation…</numerusform>
            <numerusform>Saving %n conversations…</numerusform>
        </translation>
    </message>
    <message>
        <source>The import failed and nothing was added: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s).</source>
        <translation>
            <numerusform>Imported %n conversation.</numerusform>
            <numerusform>Imported %n conversations.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be read and were skipped.</source>
        <translation>
            <numerusform>%n could not be read and was skipped.</numerusform>
            <numerusform>%n could not be read and were skipped.</numerusform>
        </translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Se&amp;rver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;In to a Team Server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host a Team Server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Administer Server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>via %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many open conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This team server keeps only a few conversations open at once. Close “%1” and send your message?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign In Again…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::MemorySecretStore</name>
    <message>
        <source>No secret is stored for %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::MessageDelegate</name>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show reasoning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The answer is incomplete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::MessageView</name>
    <message>
        <source>Copy selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit and resend…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ParamsPanel</name>
    <message>
        <source>&amp;Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model that answers; empty uses the connection&apos;s model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Temperature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top &amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max to&amp;kens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;resence penalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Frequency penalty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop sequences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Context messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many recent messages are sent with each question</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::PasswordDialog</name>
    <message>
        <source>Reset password of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every session of the account ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8 to 128 characters; not a common password and not the username.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::PresetManagerDialog</name>
    <message>
        <source>Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save all of your own presets to a JSON file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in presets cannot be changed. Duplicate one to make your own version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the model should behave, e.g. “You are a careful translator between English and Chinese.”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent for the user when a conversation starts from this preset (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection&apos;s model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mo&amp;del:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top &amp;P:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max t&amp;okens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desc&amp;ription:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I&amp;con:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ystem prompt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening &amp;message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The presets could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in: read-only. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the preset a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preset could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the preset “%1”? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preset could not be deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab presets (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is too large to be a presets file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be imported: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no presets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 of %2 presets, then stopped: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have no presets of your own to export yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Presets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the new preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard your changes to “%1”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets imported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presets exported to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::PresetsPage</name>
    <message>
        <source>New preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The parameters of %1 are not valid: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved; users see these presets now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters (JSON):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{&quot;model&quot;: &quot;…&quot;, &quot;temperature&quot;: 0.7}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::QuotaDialog</name>
    <message>
        <source>Quotas of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per day:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per month:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::RemoteChatService</name>
    <message>
        <source>That message is not shown here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An answer is still being written here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed out of the server; sign in again to send this message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to the server right now; nothing was sent. Confab is reconnecting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was lost; the text so far is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was lost before it answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The presets of a team server are managed by its admins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversations are imported on this computer only, not into a team server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ServerClient</name>
    <message>
        <source>The server answered HTTP %1 without an explanation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s sign-in reply has no tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s reply is not JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ServerLoginDialog</name>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account was created. An administrator must approve it before you can sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an Account on a Team Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign In to a Team Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chat.example.com or http://192.168.1.20:8080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create a new account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;E-mail (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign In</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::ServerSocket</name>
    <message>
        <source>The server ended this session (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::SettingsDialog</name>
    <message>
        <source>Team server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The providers Confab can talk to. New conversations use the active one; API keys are kept in the secret store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make &amp;active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message &amp;font size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends; Shift+Enter starts a new line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sends; Enter starts a new line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the system&apos;s proxy settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manual HTTP proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (active)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The stored API key could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key could not be stored, so the connection was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the connection “%1”? Its API key is deleted too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection was removed, but its API key could not be deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the proxy&apos;s host name; until then the previous setting stays in use.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::SettingsPage</name>
    <message>
        <source>Applied; the server now uses the values shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages of context sent upstream:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Least time between a user&apos;s requests:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registration:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open conversations per user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open: anyone can sign up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval: an administrator approves new accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: only administrators create accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::TeamSession</name>
    <message>
        <source>You are not signed in to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::UsageChart</name>
    <message>
        <source>No use in this period</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::UsageModel</name>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completion tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::UsagePage</name>
    <message>
        <source>&amp;Chart of the last 30 days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::UserListModel</name>
    <message>
        <source>Unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests / day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests / month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens / day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens / month</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::UsersPage</name>
    <message>
        <source>Created the user %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled %1; their sessions ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now an administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now a regular user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1 with all their conversations? This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a new password for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved the quotas of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed %1 out everywhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make regular user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quotas…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out everywhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>confab::WelcomeDialog</name>
    <message>
        <source>Welcome to Confab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confab talks to an OpenAI-compatible provider with your own API key. Choose a provider, paste the key, and test the connection. You can add more connections later in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep the API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the system keychain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the key for this session only (you enter it again after a restart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store the key in a plain file on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API key could not be stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key is kept in the system keychain, encrypted by your operating system.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keychain answered on this computer (such as GNOME Keyring, KWallet, the macOS Keychain or the Windows Credential Manager), so the key cannot be stored securely. Choose what Confab should do with it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file is not encrypted: anyone who can read your files can read the key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I understand, store the key in this plain file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

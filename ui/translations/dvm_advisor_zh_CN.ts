<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: {problem}. Your answers are still here; save them, and please report this with the details printed in the terminal.</source>
        <translation>出错了：{problem}。您的答案仍在；请先保存，并附上终端中打印的详细信息报告此问题。</translation>
    </message>
</context>
</TS>

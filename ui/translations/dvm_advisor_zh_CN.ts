<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare hosts</source>
        <translation>比较宿主机</translation>
    </message>
    <message>
        <source>Hosts side by side</source>
        <translation>宿主机并排比较</translation>
    </message>
    <message>
        <source>Import the probe reports of several hosts (written by dvm-advisor probe --json, or fetched by the fleet playbook), one per host.</source>
        <translation>导入多台宿主机的探测报告（由 dvm-advisor probe --json 写出，或由 fleet playbook 取回），每台宿主机一份。</translation>
    </message>
    <message>
        <source>Import Probe Reports…</source>
        <translation>导入探测报告…</translation>
    </message>
    <message>
        <source>Import probe reports</source>
        <translation>导入探测报告</translation>
    </message>
    <message>
        <source>These reports cannot be compared: {error}</source>
        <translation>这些报告无法比较：{error}</translation>
    </message>
    <message>
        <source>The advice for {project}:</source>
        <translation>{project}的建议：</translation>
    </message>
    <message>
        <source>Answer the required questions for the advice on each host.</source>
        <translation>回答必答问题后，即可看到每台宿主机上的建议。</translation>
    </message>
</context>
<context>
    <name>DiffPanel</name>
    <message>
        <source>Save the assessment again to compare two milestones.</source>
        <translation>再保存一次评估，即可比较两个里程碑。</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Answers changed</source>
        <translation>答案变化</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Reasons that made the difference</source>
        <translation>造成差异的理由</translation>
    </message>
    <message>
        <source>none: the same rules fired</source>
        <translation>无：触发的规则相同</translation>
    </message>
    <message>
        <source>Probe report</source>
        <translation>探测报告</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Assessment history</source>
        <translation>评估历史</translation>
    </message>
    <message>
        <source>History of this assessment</source>
        <translation>本评估的历史</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Probe report</source>
        <translation>探测报告</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Compare milestone</source>
        <translation>比较里程碑</translation>
    </message>
    <message>
        <source>with</source>
        <translation>与</translation>
    </message>
    <message>
        <source>No milestone yet: each save of the assessment records one.</source>
        <translation>还没有里程碑：每次保存评估都会记录一个。</translation>
    </message>
    <message>
        <source>{count} milestones, one per save, oldest first.</source>
        <translation>{count} 个里程碑，每次保存一个，最早的在前。</translation>
    </message>
</context>
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

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssessmentDocument</name>
    <message>
        <source>saved in {name}</source>
        <translation>保存在 {name} 中</translation>
    </message>
</context>
<context>
    <name>ClaimTable</name>
    <message>
        <source>Claim</source>
        <translation>论断</translation>
    </message>
    <message>
        <source>The article says</source>
        <translation>文章所说</translation>
    </message>
    <message>
        <source>Measured here</source>
        <translation>本机实测</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
</context>
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
    <name>FileCommands</name>
    <message>
        <source>Assessments (*.json);;All files (*)</source>
        <translation>评估 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Assessments, answers files and probe reports (*.json);;All files (*)</source>
        <translation>评估、答案文件和探测报告 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Markdown documents (*.md)</source>
        <translation>Markdown 文档 (*.md)</translation>
    </message>
    <message>
        <source>Probe results (*.json);;All files (*)</source>
        <translation>探测结果 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>the file</source>
        <translation>该文件</translation>
    </message>
    <message>
        <source>Could not open {kind}: {error}</source>
        <translation>无法打开{kind}：{error}</translation>
    </message>
    <message>
        <source>Opened {name}.</source>
        <translation>已打开 {name}。</translation>
    </message>
    <message>
        <source>Opened the answers in {name} as a new assessment; Save keeps them with the probe results in a file of its own.</source>
        <translation>已把 {name} 中的答案作为新评估打开；保存时会把它们和探测结果一起存入单独的文件。</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save assessment</source>
        <translation>保存评估</translation>
    </message>
    <message>
        <source>Could not save the assessment: {error}</source>
        <translation>无法保存评估：{error}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>Import probe results</source>
        <translation>导入探测结果</translation>
    </message>
    <message>
        <source>Could not import the probe results: {error}</source>
        <translation>无法导入探测结果：{error}</translation>
    </message>
    <message>
        <source>The probes are running: import results once they end.</source>
        <translation>探测正在运行：请在结束后再导入结果。</translation>
    </message>
    <message>
        <source>imported from {name}</source>
        <translation>导入自 {name}</translation>
    </message>
    <message>
        <source>Imported the probe results of {host} from {name}.</source>
        <translation>已从 {name} 导入 {host} 的探测结果。</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>Markdown decision record</source>
        <translation>Markdown 决策记录</translation>
    </message>
    <message>
        <source>exporting the {what}</source>
        <translation>导出{what}</translation>
    </message>
    <message>
        <source>Export {what}</source>
        <translation>导出{what}</translation>
    </message>
    <message>
        <source>Could not write the {what}: {error}. Choose a folder you can write to.</source>
        <translation>无法写出{what}：{error}。请选择一个可以写入的文件夹。</translation>
    </message>
    <message>
        <source>{what} saved to {path}.</source>
        <translation>{what}已保存到 {path}。</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <source>&amp;Clear Recent Files</source>
        <translation>清除最近的文件(&amp;C)</translation>
    </message>
    <message>
        <source>Answer the required questions (marked * in the list) before {doing}: {names}.</source>
        <translation>{doing}之前，请先回答必答问题（列表中标有 * 的）：{names}。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>This assessment has changes that are not saved. Save them first?</source>
        <translation>此评估有尚未保存的更改。要先保存吗？</translation>
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
    <name>LivePreview</name>
    <message>
        <source>Advice so far</source>
        <translation>目前的建议</translation>
    </message>
    <message>
        <source>Strongest reasons</source>
        <translation>最有力的理由</translation>
    </message>
    <message>
        <source>Not yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>{count} required questions still to answer:</source>
        <translation>还有 {count} 个必答问题待回答：</translation>
    </message>
    <message>
        <source>1 required question still to answer:</source>
        <translation>还有 1 个必答问题待回答：</translation>
    </message>
    <message>
        <source>No rule moved the scores.</source>
        <translation>没有规则影响得分。</translation>
    </message>
    <message>
        <source>Includes the probe results ({source}).</source>
        <translation>已包含探测结果（{source}）。</translation>
    </message>
    <message>
        <source>Not yet checked on a workstation: run the probes or import their results.</source>
        <translation>尚未在工作站上检验：请运行探测或导入探测结果。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Docker containers or virtual machines? This assessment answers it for your project with rules drawn from the article “Docker vs Virtual Machine (VM)”, then checks the advice on this workstation with a real container and a real VM.</source>
        <translation>Docker 容器还是虚拟机？本评估依据取自文章“Docker vs Virtual Machine (VM)”的规则为您的项目作答，再在这台工作站上用真实的容器和真实的虚拟机检验建议。</translation>
    </message>
    <message>
        <source>Probes</source>
        <translation>探测</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Question {number} of {count}</source>
        <translation>第 {number} 题，共 {count} 题</translation>
    </message>
    <message>
        <source>About the project</source>
        <translation>关于项目</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next →</source>
        <translation>下一步(&amp;N) →</translation>
    </message>
    <message>
        <source>&amp;New Assessment</source>
        <translation>新建评估(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import Probe Results…</source>
        <translation>导入探测结果(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;PDF Report…</source>
        <translation>PDF 报告(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Markdown Decision Record…</source>
        <translation>Markdown 决策记录(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>历史(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Compare Hosts…</source>
        <translation>比较宿主机(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Results</source>
        <translation>结果(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;About dvm-advisor</source>
        <translation>关于 dvm-advisor(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Next: {step} →</source>
        <translation>下一步(&amp;N)：{step} →</translation>
    </message>
    <message>
        <source>Required: not answered yet</source>
        <translation>必答：尚未回答</translation>
    </message>
    <message>
        <source>Answered: {answer}</source>
        <translation>已回答：{answer}</translation>
    </message>
    <message>
        <source>Optional: {answer} unless you change it</source>
        <translation>选答：若不修改则为 {answer}</translation>
    </message>
    <message>
        <source>Probe results {source}</source>
        <translation>探测结果{source}</translation>
    </message>
    <message>
        <source>No probe results yet</source>
        <translation>还没有探测结果</translation>
    </message>
    <message>
        <source>The advice is ready</source>
        <translation>建议已就绪</translation>
    </message>
    <message>
        <source>Answer the required questions first</source>
        <translation>请先回答必答问题</translation>
    </message>
    <message>
        <source>from this workstation</source>
        <translation>来自这台工作站</translation>
    </message>
    <message>
        <source>Untitled assessment</source>
        <translation>未命名评估</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>Docker containers or virtual machines: advice drawn claim by claim from the article “Docker vs Virtual Machine (VM)”, checked with real probes on this workstation.</source>
        <translation>Docker 容器还是虚拟机：建议逐条取自文章“Docker vs Virtual Machine (VM)”的论断，并在这台工作站上用真实的探测加以检验。</translation>
    </message>
    <message>
        <source>Stopping the probes and removing what they started; the window closes as soon as that is done.</source>
        <translation>正在停止探测并移除它们启动的内容；完成后窗口随即关闭。</translation>
    </message>
</context>
<context>
    <name>ProbePage</name>
    <message>
        <source>Check the advice on this workstation</source>
        <translation>在这台工作站上检验建议</translation>
    </message>
    <message>
        <source>The probes start a real sample container through the Docker engine and a tiny Linux VM through libvirt and QEMU, measure both, and remove everything they started, also when cancelled. To check another machine instead, run this command there and import the file it writes:</source>
        <translation>探测会通过 Docker 引擎启动一个真实的示例容器，通过 libvirt 和 QEMU 启动一台小型 Linux 虚拟机，测量两者，并移除它们启动的一切，取消时也是如此。若要检验另一台机器，请在那里运行下面的命令，再导入它写出的文件：</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>What the probes do is written here as they run.</source>
        <translation>探测运行时，它们所做的事会记录在这里。</translation>
    </message>
    <message>
        <source>How thoroughly</source>
        <translation>探测的详细程度</translation>
    </message>
    <message>
        <source>Quick check: one run of each probe, about 10 to 15 seconds</source>
        <translation>快速检查：每个探测运行一次，约 10 到 15 秒</translation>
    </message>
    <message>
        <source>Thorough: several runs of each, steadier figures</source>
        <translation>全面检查：每个探测运行多次，数据更稳定</translation>
    </message>
    <message>
        <source>&amp;Run probes</source>
        <translation>运行探测(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Import results…</source>
        <translation>导入结果(&amp;I)…</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>This run</source>
        <translation>本次运行</translation>
    </message>
    <message>
        <source>Probes started (quick check)</source>
        <translation>探测已开始（快速检查）</translation>
    </message>
    <message>
        <source>Probes started</source>
        <translation>探测已开始</translation>
    </message>
    <message>
        <source>Running. The rest of the app stays usable meanwhile.</source>
        <translation>正在运行。在此期间，应用的其他部分照常可用。</translation>
    </message>
    <message>
        <source>Cancelling: removing what the probes started…</source>
        <translation>正在取消：正在移除探测启动的内容…</translation>
    </message>
    <message>
        <source>Cancel requested; cleaning up</source>
        <translation>已请求取消；正在清理</translation>
    </message>
    <message>
        <source>Cancelled. Everything the probes started was removed; the results kept before are unchanged.</source>
        <translation>已取消。探测启动的一切均已移除；之前保留的结果保持不变。</translation>
    </message>
    <message>
        <source>Cancelled; clean-up finished</source>
        <translation>已取消；清理完成</translation>
    </message>
    <message>
        <source>Probes finished in {seconds:.1f} s</source>
        <translation>探测完成，耗时 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>Finished. The advice now takes this workstation into account.</source>
        <translation>已完成。建议现已考虑这台工作站的情况。</translation>
    </message>
    <message>
        <source>No probe results yet</source>
        <translation>还没有探测结果</translation>
    </message>
    <message>
        <source>Not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Results {source}, taken {when} on {host}</source>
        <translation>结果{source}，于 {when} 在 {host} 上测得</translation>
    </message>
</context>
<context>
    <name>ProbeRow</name>
    <message>
        <source>{status}. {summary}</source>
        <translation>{status}。{summary}</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>解决方法：</translation>
    </message>
</context>
<context>
    <name>QuestionPage</name>
    <message>
        <source>Required</source>
        <translation>必答</translation>
    </message>
    <message>
        <source>Optional · default: {answer}</source>
        <translation>选答 · 默认：{answer}</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选答</translation>
    </message>
    <message>
        <source>Why it matters, from the article</source>
        <translation>文章中的依据</translation>
    </message>
</context>
<context>
    <name>ReasonCard</name>
    <message>
        <source>Article: {claims}</source>
        <translation>文章：{claims}</translation>
    </message>
    <message>
        <source>. Beyond the article: {source}</source>
        <translation>。超出文章范围：{source}</translation>
    </message>
    <message>
        <source>Because {because}</source>
        <translation>依据：{because}</translation>
    </message>
    <message>
        <source>Show the article&apos;s words</source>
        <translation>显示文章原文</translation>
    </message>
    <message>
        <source>Hide the article&apos;s words</source>
        <translation>隐藏文章原文</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>No advice yet</source>
        <translation>还没有建议</translation>
    </message>
    <message>
        <source>The advice needs every required question answered. Still to answer: {steps}.</source>
        <translation>要得出建议，需要回答所有必答问题。尚待回答：{steps}。</translation>
    </message>
    <message>
        <source>Go to “{step}”</source>
        <translation>转到“{step}”</translation>
    </message>
    <message>
        <source>Recommendation for {project}</source>
        <translation>{project}的建议</translation>
    </message>
    <message>
        <source>&amp;Export PDF…</source>
        <translation>导出 PDF(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;Markdown…</source>
        <translation>导出 Markdown(&amp;M)…</translation>
    </message>
    <message>
        <source>An architecture decision record (MADR)</source>
        <translation>架构决策记录（MADR）</translation>
    </message>
    <message>
        <source>Tie: {tie}</source>
        <translation>平局：{tie}</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>No rule moved the scores.</source>
        <translation>没有规则影响得分。</translation>
    </message>
    <message>
        <source>Still to weigh</source>
        <translation>仍需权衡</translation>
    </message>
    <message>
        <source>No caveats for these answers.</source>
        <translation>这些答案没有需要注意的事项。</translation>
    </message>
    <message>
        <source>What would change the verdict</source>
        <translation>什么会改变结论</translation>
    </message>
    <message>
        <source>No single answer changes it.</source>
        <translation>没有哪个答案单独改变就能改变结论。</translation>
    </message>
    <message>
        <source>Nearest: </source>
        <translation>最接近的：</translation>
    </message>
    <message>
        <source>Questions worth answering</source>
        <translation>值得回答的问题</translation>
    </message>
    <message>
        <source>The article&apos;s claims on this workstation</source>
        <translation>文章的论断在这台工作站上的检验</translation>
    </message>
    <message>
        <source>Run the probes, or import their results, to set each measurable claim beside a figure measured on a real workstation.</source>
        <translation>运行探测或导入探测结果，即可把每个可测量的论断与在真实工作站上测得的数据并列比较。</translation>
    </message>
    <message>
        <source>Go to the probes</source>
        <translation>转到探测</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>这台工作站</translation>
    </message>
</context>
<context>
    <name>ScoreChart</name>
    <message>
        <source> (ruled out)</source>
        <translation>（已排除）</translation>
    </message>
    <message>
        <source>No scores yet</source>
        <translation>还没有得分</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>ruled out</source>
        <translation>已排除</translation>
    </message>
</context>
<context>
    <name>StepList</name>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <source>How it works</source>
        <translation>使用方法</translation>
    </message>
    <message>
        <source>Answer the {questions} questions. The {required} marked * are required; the others are optional. Each one shows the article&apos;s reason behind it.</source>
        <translation>回答这 {questions} 个问题。其中标有 * 的 {required} 个是必答题，其余为选答。每个问题都附有文章中的依据。</translation>
    </message>
    <message>
        <source>Watch the advice on the right: it follows every answer.</source>
        <translation>留意右侧的建议：它随每个答案而更新。</translation>
    </message>
    <message>
        <source>Check it on this workstation: the probes launch a real container and a real VM. Or import results taken on another machine.</source>
        <translation>在这台工作站上检验：探测会启动真实的容器和真实的虚拟机。也可以导入在另一台机器上取得的结果。</translation>
    </message>
    <message>
        <source>Read the results, save the assessment, and export a PDF report or a Markdown decision record.</source>
        <translation>阅读结果，保存评估，并导出 PDF 报告或 Markdown 决策记录。</translation>
    </message>
    <message>
        <source>Keyboard: Alt+Right and Alt+Left move between steps; in the list of steps, the arrow keys do. Ctrl+S saves, Ctrl+R shows the results.</source>
        <translation>键盘：Alt+右方向键和 Alt+左方向键在步骤之间移动；在步骤列表中用方向键移动。Ctrl+S 保存，Ctrl+R 显示结果。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: {problem}. Your answers are still here; save them, and please report this with the details printed in the terminal.</source>
        <translation>出错了：{problem}。您的答案仍在；请先保存，并附上终端中打印的详细信息报告此问题。</translation>
    </message>
</context>
<context>
    <name>probes</name>
    <message>
        <source>The probes stopped unexpectedly: {cause}. Nothing they started was kept; try again, or run `dvm-advisor probe` in a terminal to see more.</source>
        <translation>探测意外停止：{cause}。它们启动的内容均未保留；请重试，或在终端中运行 `dvm-advisor probe` 查看详情。</translation>
    </message>
</context>
</TS>

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
    <message>
        <source>The article&apos;s claims beside the figures measured here</source>
        <translation>文章的论断与本机测得的数据</translation>
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
        <source>Could not open the file: {error}</source>
        <translation>无法打开该文件：{error}</translation>
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
        <source>Not probe results</source>
        <translation>不是探测结果</translation>
    </message>
    <message>
        <source>{name} is {kind}, not probe results. Open it instead?</source>
        <translation>{name} 是{kind}，不是探测结果。改为打开它吗？</translation>
    </message>
    <message>
        <source>Opening it replaces the answers shown now; probe results come from `dvm-advisor probe --json FILE`.</source>
        <translation>打开它会替换当前显示的答案；探测结果由 `dvm-advisor probe --json FILE` 生成。</translation>
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
    <name>Help</name>
    <message>
        <source>Move through the list of steps</source>
        <translation>在步骤列表中移动</translation>
    </message>
    <message>
        <source>Move between the answers and buttons of a page</source>
        <translation>在页面的答案和按钮之间移动</translation>
    </message>
    <message>
        <source>Choose among the answers of a question</source>
        <translation>在问题的各个答案之间选择</translation>
    </message>
    <message>
        <source>Tick a choice, press a button or show the article&apos;s words</source>
        <translation>勾选选项、按下按钮或显示文章原文</translation>
    </message>
    <message>
        <source>{app} guide</source>
        <translation>{app} 使用指南</translation>
    </message>
    <message>
        <source>How an assessment goes</source>
        <translation>评估的流程</translation>
    </message>
    <message>
        <source>Files: Save keeps the answers and the probe results in one assessment file. Open reads an assessment, an answers file or a probe report written by the command line; a file can also be dropped on the window.</source>
        <translation>文件：“保存”把答案和探测结果存入一个评估文件。“打开”可读取评估、答案文件或命令行写出的探测报告；也可以把文件拖放到窗口上。</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>{app} icon</source>
        <translation>{app} 图标</translation>
    </message>
    <message>
        <source>&lt;p&gt;Should a project run in Docker containers or in virtual machines? {app} answers with rules drawn claim by claim from the article “{article}” by {author} ({published}, in {language}), and checks the advice on this workstation with a real container and a real virtual machine.&lt;/p&gt;&lt;p&gt;Every reason names the claims of the article it rests on; rules that go beyond the article say where they come from.&lt;/p&gt;&lt;p&gt;Licence: {licence}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;项目应该运行在 Docker 容器中还是虚拟机中？{app} 依据逐条取自 {author} 的文章“{article}”（{published}，{language}）的规则作答，并在这台工作站上用真实的容器和真实的虚拟机检验建议。&lt;/p&gt;&lt;p&gt;每条理由都注明了它所依据的文章论断；超出文章范围的规则会注明出处。&lt;/p&gt;&lt;p&gt;许可证：{licence}。&lt;/p&gt;</translation>
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
        <source>One milestone: each save of the assessment records one.</source>
        <translation>1 个里程碑：每次保存评估都会记录一个。</translation>
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
        <source>Advice so far</source>
        <translation>目前的建议</translation>
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
        <source>&amp;Guide</source>
        <translation>使用指南(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About {app}</source>
        <translation>关于 {app}(&amp;A)</translation>
    </message>
    <message>
        <source>The advice is ready: read</source>
        <translation>建议已就绪：已阅读</translation>
    </message>
    <message>
        <source>The advice is ready to read</source>
        <translation>建议已就绪，可以阅读</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>Advice so far: {verdict} (show)</source>
        <translation>目前的建议：{verdict}（显示）</translation>
    </message>
    <message>
        <source>Hide the advice panel</source>
        <translation>隐藏建议面板</translation>
    </message>
    <message>
        <source>Show the advice panel</source>
        <translation>显示建议面板</translation>
    </message>
    <message>
        <source>The probes are running</source>
        <translation>探测正在运行</translation>
    </message>
    <message>
        <source>Stop the probes and close the window?</source>
        <translation>要停止探测并关闭窗口吗？</translation>
    </message>
    <message>
        <source>The probes remove what they started before the window closes; the results of this run are lost.</source>
        <translation>探测会在窗口关闭前移除它们启动的内容；本次运行的结果将会丢失。</translation>
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
        <source>Optional: not answered</source>
        <translation>选答：未回答</translation>
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
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Dismiss the message</source>
        <translation>关闭这条消息</translation>
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
        <source>Quick check, about {duration}</source>
        <translation>快速检查，约 {duration}</translation>
    </message>
    <message>
        <source>Thorough, about {duration}</source>
        <translation>全面检查，约 {duration}</translation>
    </message>
    <message>
        <source>The quick check runs each probe once; the thorough one runs each several times, for steadier figures. The times are those of the last runs here.</source>
        <translation>快速检查每个探测运行一次；全面检查每个运行多次，数据更稳定。所示时间为这里上一次运行所用的时间。</translation>
    </message>
    <message>
        <source>The quick check runs each probe once; the thorough one runs each several times, for steadier figures. The times are those of a two-core workstation.</source>
        <translation>快速检查每个探测运行一次；全面检查每个运行多次，数据更稳定。所示时间为一台双核工作站上测得的时间。</translation>
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
        <source>Answer the required questions to see the advice with these results.</source>
        <translation>回答必答问题后，即可看到结合这些结果的建议。</translation>
    </message>
    <message>
        <source>Finished in {seconds:.0f} s. {added}</source>
        <translation>用时 {seconds:.0f} 秒完成。{added}</translation>
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
    <message>
        <source>{count} minutes</source>
        <translation>{count} 分钟</translation>
    </message>
    <message>
        <source>{count} seconds</source>
        <translation>{count} 秒</translation>
    </message>
    <message>
        <source>About {seconds} s left</source>
        <translation>大约还需 {seconds} 秒</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>即将完成…</translation>
    </message>
    <message>
        <source>Finishing a step that takes longer than estimated, then about {seconds} s</source>
        <translation>当前步骤比预计的久，正在完成；之后大约还需 {seconds} 秒</translation>
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
        <source>The article&apos;s words for “{reason}”</source>
        <translation>“{reason}”的文章原文</translation>
    </message>
    <message>
        <source>Hide the article&apos;s words</source>
        <translation>隐藏文章原文</translation>
    </message>
    <message>
        <source>The article&apos;s words (Chinese):</source>
        <translation>原文：</translation>
    </message>
    <message>
        <source>{claim}, {section}: {digest}</source>
        <translation>{claim}，{section}：{digest}</translation>
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
        <source>Export P&amp;DF…</source>
        <translation>导出 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Export Mar&amp;kdown…</source>
        <translation>导出 Markdown(&amp;K)…</translation>
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
        <source>Caveats</source>
        <translation>注意事项</translation>
    </message>
    <message>
        <source>What would change this advice, nearest first</source>
        <translation>什么会改变这条建议（最接近的在前）</translation>
    </message>
    <message>
        <source>No caveats for these answers.</source>
        <translation>这些答案没有需要注意的事项。</translation>
    </message>
    <message>
        <source>No single answer changes it.</source>
        <translation>没有哪个答案单独改变就能改变结论。</translation>
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
        <source>No scores yet</source>
        <translation>还没有得分</translation>
    </message>
    <message>
        <source>Scores of the options</source>
        <translation>各选项的得分</translation>
    </message>
    <message>
        <source>ruled out</source>
        <translation>已排除</translation>
    </message>
</context>
<context>
    <name>StepList</name>
    <message>
        <source>Steps of the assessment</source>
        <translation>评估的步骤</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <source>Keyboard: Alt+Right and Alt+Left move between steps; in the list of steps, the arrow keys do. Ctrl+S saves, Ctrl+R shows the results, F1 opens the guide.</source>
        <translation>键盘：Alt+右方向键和 Alt+左方向键在步骤之间移动；在步骤列表中用方向键移动。Ctrl+S 保存，Ctrl+R 显示结果，F1 打开使用指南。</translation>
    </message>
    <message>
        <source>Answer the {questions} questions. The {required} marked * are required; the others can stay unanswered. Each one shows the article&apos;s reason behind it.</source>
        <translation>回答这 {questions} 个问题。其中标有 * 的 {required} 个是必答题，其余可以不答。每个问题都附有文章中的依据。</translation>
    </message>
    <message>
        <source>Watch the advice beside the questions: it follows every answer. Each rule that applies gives points to the options it favours; the verdict is the option with the most points that no rule ruled out.</source>
        <translation>留意问题旁边的建议：它随每个答案而更新。每条适用的规则都会给它支持的选项加分；结论是未被任何规则排除的选项中得分最高者。</translation>
    </message>
    <message>
        <source>Check it on this workstation: the probes launch a real container and a real VM, measure them, and remove them again. Or import results taken on another machine.</source>
        <translation>在这台工作站上检验：探测会启动真实的容器和真实的虚拟机，测量后再将其移除。也可以导入在另一台机器上取得的结果。</translation>
    </message>
    <message>
        <source>How it works</source>
        <translation>使用方法</translation>
    </message>
    <message>
        <source>Read the results, save the assessment, and export a PDF report or a Markdown decision record.</source>
        <translation>阅读结果，保存评估，并导出 PDF 报告或 Markdown 决策记录。</translation>
    </message>
</context>
<context>
    <name>answers</name>
    <message>
        <source> ({number} clears the answer)</source>
        <translation>（{number} 表示清除答案）</translation>
    </message>
    <message>
        <source>A whole number from {lowest} to {highest}{cleared}.</source>
        <translation>{lowest} 到 {highest} 之间的整数{cleared}。</translation>
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
<context>
    <name>self.self</name>
    <message>
        <source>Stopping the probes and removing what they started; the window closes as soon as that is done.</source>
        <translation>正在停止探测并移除它们启动的内容；完成后窗口随即关闭。</translation>
    </message>
</context>
</TS>

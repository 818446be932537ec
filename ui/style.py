"""The app's look: spacing, type sizes and a few colours, on top of the platform's palette."""

from __future__ import annotations

ACCENT = "#2b6cb0"
MUTED = "#5b6472"

STYLE_SHEET = f"""
#sidebar {{
    outline: 0;
    background: palette(window);
    border: none;
    border-right: 1px solid palette(midlight);
    padding-top: 8px;
}}
#sidebar::item {{
    padding: 5px 8px;
    margin: 1px 8px;
    border-radius: 5px;
}}
#sidebar::item:selected {{
    background: palette(highlight);
    color: palette(highlighted-text);
}}
#pageBody, #pageScroll, #qt_scrollarea_viewport {{
    background: palette(base);
}}
#preview {{
    background: palette(window);
    border: none;
    border-left: 1px solid palette(midlight);
}}
#navBar {{
    background: palette(window);
    border-top: 1px solid palette(midlight);
}}
#card, #verdictCard {{
    background: palette(base);
    border: 1px solid palette(midlight);
    border-radius: 6px;
}}
#verdictCard {{
    border-left: 4px solid {ACCENT};
}}
#card QLabel, #verdictCard QLabel {{
    background: transparent;
}}
#intro {{
    font-size: 11pt;
}}
#questionTitle {{
    font-size: 15pt;
    font-weight: 600;
}}
#verdictTitle {{
    font-size: 20pt;
    font-weight: 600;
    color: {ACCENT};
}}
#previewVerdict {{
    font-size: 15pt;
    font-weight: 600;
    color: {ACCENT};
}}
#previewCaption, #cardTitle {{
    font-weight: 600;
    color: {MUTED};
}}
#sectionHeading {{
    font-size: 12.5pt;
    font-weight: 600;
    padding-top: 10px;
}}
#sectionTitle, #reasonTitle, #probeTitle {{
    font-weight: 600;
}}
#requiredTag {{
    color: #b4232a;
    font-weight: 600;
}}
#optionalTag, #muted, #stepPosition, #claimIds, #reasonEffect, #probeStep, #factLabel,
#choiceMeaning, #timeLeft {{
    color: {MUTED};
}}
#reasonEffect {{
    font-weight: 600;
}}
#quote {{
    background: palette(window);
    border-left: 3px solid #a3b4c8;
    padding: 8px 10px;
}}
#probeStep[status="ok"] {{ color: #1f7a3a; }}
#probeStep[status="unavailable"], #probeStep[status="cancelled"] {{ color: #a15c00; }}
#probeStep[status="failed"], #probeState[status="failed"] {{ color: #b4232a; }}
#command {{
    background: palette(window);
    border: 1px solid palette(midlight);
    border-radius: 4px;
    padding: 4px 8px;
}}
#probeFix {{
    background: #fff7e6;
    border: 1px solid #f3d19c;
    border-radius: 4px;
    padding: 6px 8px;
}}
QToolButton#linkButton {{
    border: 2px solid transparent;
    color: {ACCENT};
    padding: 1px 3px;
}}
QToolButton#linkButton:hover {{
    text-decoration: underline;
}}
QToolButton#linkButton:focus, QToolButton#adviceButton:focus {{
    outline: none;
    border: 2px solid palette(highlight);
    border-radius: 3px;
    padding: 1px 3px;
}}
QToolButton#adviceButton {{
    color: {ACCENT};
    font-weight: 600;
    padding: 3px 5px;
}}
QPushButton#primary {{
    font-weight: 600;
}}
#noticeBar[kind="error"] {{
    background: #fdecea;
    border: 1px solid #f1b8b4;
    border-radius: 6px;
}}
#noticeBar[kind="info"] {{
    background: #e8f1fb;
    border: 1px solid #b8d0ee;
    border-radius: 6px;
}}
#noticeBar QLabel {{
    color: #1f2328;
}}
#claimTable::item {{
    padding-top: 6px;
    padding-bottom: 6px;
}}
#claimTable {{
    border: 1px solid palette(midlight);
    border-radius: 6px;
}}
"""

"""The widget reads well in JupyterLab's light and dark themes: every piece of text in it keeps a
WCAG contrast ratio of at least 4.5 against the background it is drawn on."""

from __future__ import annotations

import pytest

from .lab import LabPage, write_notebook

pytestmark = pytest.mark.e2e

CELL = """
import jupylabel as jl
XML = '''<View><Header value="Review of $product"/><Text name="text" value="$text"/>
<Labels name="parts" toName="text"><Label value="Thing" background="#FFFF00"/><Label value="Place" background="#000080"/></Labels>
<Choices name="sentiment" toName="text" showInline="true"><Choice value="Positive"/><Choice value="Negative"/></Choices></View>'''
project = jl.Project.create("theme", config=XML, db="theme.duckdb")
project.import_tasks([{"text": "Readable in the dark?", "product": "Lamp"}, {"text": "Second", "product": "B"}])
project.label()
"""

# Contrast of each text element against the first opaque background behind it.
CONTRAST = """
(root) => {
  // rgb()/rgba(), or color(srgb …) in 0–1 (how Chromium gives a color-mix())
  const parse = (c) => { const m = c.match(/(rgba?|color)\\((?:srgb )?([^)]+)\\)/); if (!m) return null;
    const p = m[2].split(/[ ,\\/]+/).filter(Boolean).map(Number); const k = m[1] === "color" ? 255 : 1;
    return {r: p[0] * k, g: p[1] * k, b: p[2] * k, a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let out = {r: 255, g: 255, b: 255};
    for (const c of layers.reverse()) out = {r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a)};
    return out;
  };
  const results = [];
  for (const el of root.querySelectorAll('.jl-title, .jl-text, .jl-header, .jl-choice-label, .jl-button, .jl-progress-text, .jl-hint, ' +
                                         '.jl-label-name, .jl-hotkey')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const fg = parse(getComputedStyle(el).color);
    const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    results.push({cls: el.className, ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return results;
}
"""


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_text_contrast_in_light_and_dark_themes(lab, page, theme):
    name = f"theme-{theme.split()[-1].lower()}.ipynb"
    write_notebook(lab.root / name, [CELL.replace("theme.duckdb", name + ".duckdb")])
    nb = LabPage(page, lab, name).open()
    page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    page.wait_for_function("t => document.body.dataset.jpThemeName === t", arg=theme)
    nb.run_cell(0)
    root = page.locator(".jl-root")
    root.locator(".jl-text", has_text="Readable in the dark?").wait_for()
    root.get_by_role("radio", name="Positive").click()  # a selected choice must read well too
    root.locator(".jl-label", has_text="Thing").click()  # and a picked label, on its colour's tint
    assert root.locator(".jl-label.jl-selected").count() == 1
    ratios = page.evaluate(CONTRAST, root.element_handle())
    assert len([r for r in ratios if "jl-label-name" in r["cls"]]) == 2
    assert len(ratios) >= 11
    poor = [r for r in ratios if r["ratio"] < 4.5]
    assert poor == [], poor
    dark = page.evaluate("() => document.body.dataset.jpThemeLight") == "false"
    assert dark == (theme == "JupyterLab Dark")

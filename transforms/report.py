"""``newsflow report``: one self-contained HTML page of the main findings.

Charts are Vega-Lite specifications built with Altair and drawn by vega-embed, whose JavaScript (from
vl-convert) is inlined, so the file opens without a network. The page sets ``data-charts-rendered`` on
``<body>`` once every chart has drawn and lists script errors in ``#errors`` (the browser test reads both).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import altair as alt
import duckdb
import vl_convert
from jinja2 import Environment, select_autoescape

TOP_COUNTRIES = 15
TOP_PAIRS_OVER_TIME = 6
TOP_SPEAKERS = 15
SENTENCES_PER_PAIR = 100
QUOTES_PER_PAIR = 50


@dataclass
class ReportData:
    """What the report shows, read from the marts and staging views."""

    totals: dict[str, int]
    pairs: list[dict]  # country_a, country_b, cooperation, conflict
    months: list[dict]  # pair, month, cooperation_mentions, conflict_mentions
    speakers: list[dict]  # speaker_name, speaker_country, speaker_role, quotes
    evidence: dict[str, dict]  # pair -> {"sentences": [...], "quotes": [...], "sentence_total", "quote_total"}


def _records(con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[dict]:
    result = con.execute(sql, parameters or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, (_plain(v) for v in row), strict=True)) for row in result.fetchall()]


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def read_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Query the built warehouse for the report."""
    totals = _records(con, """
        select (select count(*) from staging.stg_articles) as articles,
               (select count(*) from marts.stories) as stories,
               (select count(*) from staging.stg_relations) as relation_sentences,
               (select count(*) from staging.stg_quotes) as quotes,
               (select count(*) from marts.country_pair_cooperation) as pair_months,
               (select count(distinct country_code) from marts.country_mentions) as countries
    """)[0]
    pairs = _records(con, """
        select country_a, country_b, sum(cooperation_mentions) as cooperation, sum(conflict_mentions) as conflict,
               sum(cooperation_stories) as cooperation_stories, sum(conflict_stories) as conflict_stories
        from marts.country_pair_cooperation group by all order by cooperation + conflict desc, country_a, country_b
    """)
    top_pairs = sorted(pairs, key=lambda p: (-p["cooperation"], p["country_a"], p["country_b"]))[:TOP_PAIRS_OVER_TIME]
    months = [
        {**row, "pair": f"{row['country_a']}-{row['country_b']}"}
        for row in _records(con, """
            select country_a, country_b, month, cooperation_mentions, conflict_mentions
            from marts.country_pair_cooperation order by month""")
        if any((row["country_a"], row["country_b"]) == (p["country_a"], p["country_b"]) for p in top_pairs)
    ]
    speakers = _records(con, f"""
        select speaker_name, coalesce(speaker_country, '?') as speaker_country, speaker_role, quotes
        from marts.speakers order by quotes desc, speaker_name limit {TOP_SPEAKERS}""")
    sentences = _records(con, """
        select r.country_a, r.country_b, r.polarity, r.relation_type, r.sentence, a.title as article_title,
               cast(coalesce(a.published_at, a.ingested_at) as date) as dated
        from staging.stg_relations r join staging.stg_articles a using (article_id)
        order by dated desc, a.title, r.sentence_idx""")
    quotes = _records(con, """
        select country_a, country_b, polarity, speaker_name, speaker_role, speaker_country, quote_kind, quote_text,
               article_title, cast(dated_at as date) as dated
        from marts.pair_quotes order by dated desc, article_title""")
    evidence: dict[str, dict] = {}
    for kind, rows, cap in (("sentences", sentences, SENTENCES_PER_PAIR), ("quotes", quotes, QUOTES_PER_PAIR)):
        for row in rows:
            entry = evidence.setdefault(f"{row['country_a']}-{row['country_b']}",
                                        {"sentences": [], "quotes": [], "sentence_total": 0, "quote_total": 0})
            entry["sentence_total" if kind == "sentences" else "quote_total"] += 1
            if len(entry[kind]) < cap:
                entry[kind].append({k: v for k, v in row.items() if k not in ("country_a", "country_b")})
    return ReportData(totals, pairs, months, speakers, evidence)


def pair_matrix(pairs: list[dict]) -> alt.Chart:
    """Heat map of the most active countries: colour is the share of cooperation among a pair's mentions."""
    activity: dict[str, int] = {}
    for pair in pairs:
        for side in ("country_a", "country_b"):
            activity[pair[side]] = activity.get(pair[side], 0) + pair["cooperation"] + pair["conflict"]
    top = set(sorted(activity, key=lambda c: (-activity[c], c))[:TOP_COUNTRIES])
    cells = []
    for pair in pairs:
        if pair["country_a"] in top and pair["country_b"] in top:
            total = pair["cooperation"] + pair["conflict"]
            balance = (pair["cooperation"] - pair["conflict"]) / total if total else 0
            for x, y in ((pair["country_a"], pair["country_b"]), (pair["country_b"], pair["country_a"])):
                cells.append({"country": x, "partner": y, "cooperation": pair["cooperation"],
                              "conflict": pair["conflict"], "cooperation_stories": pair["cooperation_stories"],
                              "conflict_stories": pair["conflict_stories"], "balance": round(balance, 3),
                              "mentions": total})
    return alt.Chart(alt.Data(values=cells), title="Cooperation (blue) vs conflict (red) between the most active countries").mark_rect().encode(
        x=alt.X("country:N", title=None, sort="ascending"),
        y=alt.Y("partner:N", title=None, sort="ascending"),
        color=alt.Color("balance:Q", title="cooperation share", scale=alt.Scale(scheme="redblue", domain=[-1, 1])),
        opacity=alt.Opacity("mentions:Q", scale=alt.Scale(type="log", range=[0.45, 1]), legend=None),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("partner:N"),
                 alt.Tooltip("cooperation:Q", title="cooperation mentions"),
                 alt.Tooltip("conflict:Q", title="conflict mentions"),
                 alt.Tooltip("cooperation_stories:Q", title="cooperation stories"),
                 alt.Tooltip("conflict_stories:Q", title="conflict stories")],
    ).properties(width=420, height=420)


def pairs_over_time(months: list[dict]) -> alt.Chart:
    """Cooperation mentions per month for the pairs with the most cooperation."""
    return alt.Chart(alt.Data(values=months), title="Cooperation over time, top pairs").mark_line(point=True).encode(
        x=alt.X("month:T", title="month"),
        y=alt.Y("cooperation_mentions:Q", title="cooperation mentions"),
        color=alt.Color("pair:N", title="pair"),
        tooltip=["pair:N", "month:T", "cooperation_mentions:Q", "conflict_mentions:Q"],
    ).properties(width=560, height=300)


def top_speakers(speakers: list[dict]) -> alt.Chart:
    """The most-quoted speakers, coloured by the country they speak for."""
    values = [{**s, "label": f"{s['speaker_name']} ({s['speaker_country']})"} for s in speakers]
    return alt.Chart(alt.Data(values=values), title="Most-quoted speakers").mark_bar().encode(
        x=alt.X("quotes:Q", title="quotes"),
        y=alt.Y("label:N", title=None, sort="-x"),
        color=alt.Color("speaker_country:N", title="country"),
        tooltip=["speaker_name:N", "speaker_role:N", "speaker_country:N", "quotes:Q"],
    ).properties(width=480, height=alt.Step(18))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsflow report</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem} .totals{color:#555;margin-bottom:1.5rem} .charts{display:flex;flex-wrap:wrap;gap:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.9rem}
td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}
#errors{color:#b00;white-space:pre-wrap} select{font-size:1rem;padding:.2rem}
.coop{color:#1f5fa8}.conf{color:#b2182b}
</style>
<script>
window.reportErrors = [];
window.addEventListener("error", e => { window.reportErrors.push(String(e.message));
  document.getElementById("errors").textContent = window.reportErrors.join("\\n"); });
</script>
<script>{{ bundle|safe }}</script>
</head><body>
<h1>newsflow report</h1>
<div class="totals">{{ totals.articles }} articles reporting {{ totals.stories }} stories, {{ totals.relation_sentences }} relation sentences,
{{ totals.quotes }} quotes, {{ totals.countries }} countries mentioned. Generated {{ generated }} from {{ warehouse }}.<br>
A mention is a sentence supporting a relation; a story is every report of one piece of news (the same report
sent again, corrected or updated counts once), so a pair's stories are at most its articles.</div>
<pre id="errors"></pre>
<div class="charts">
{% for name in charts %}<div id="chart-{{ name }}" class="chart"></div>
{% endfor %}</div>
<h2>Behind the numbers</h2>
<p>Choose a pair to see the sentences that count as its cooperation and conflict mentions, and what its
countries' speakers said there.
<select id="pair">{% for pair in pair_names %}<option value="{{ pair }}">{{ pair }}</option>{% endfor %}</select></p>
<div id="evidence"></div>
<script>
const specs = {{ specs|safe }};
const evidence = {{ evidence|safe }};
const names = Object.keys(specs);
Promise.all(names.map(name => vegaEmbed("#chart-" + name, specs[name], {renderer: "svg", actions: false})))
  .then(() => { document.body.dataset.chartsRendered = String(names.length); })
  .catch(error => { window.reportErrors.push(String(error));
    document.getElementById("errors").textContent = window.reportErrors.join("\\n"); });
function cell(text) { const td = document.createElement("td"); td.textContent = text == null ? "" : text; return td; }
function table(headers, rows) {
  const t = document.createElement("table"), head = t.insertRow();
  headers.forEach(h => { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
  rows.forEach(r => { const tr = t.insertRow(); r.forEach(v => tr.appendChild(cell(v))); });
  return t;
}
function show(pair) {
  const box = document.getElementById("evidence"), e = evidence[pair] || {sentences: [], quotes: [], sentence_total: 0, quote_total: 0};
  box.replaceChildren();
  const h1 = document.createElement("h3");
  h1.textContent = `${pair}: ${e.sentence_total} supporting sentences` + (e.sentences.length < e.sentence_total ? ` (newest ${e.sentences.length} shown)` : "");
  box.appendChild(h1);
  box.appendChild(table(["date", "polarity", "type", "sentence", "article"],
    e.sentences.map(s => [s.dated, s.polarity, s.relation_type, s.sentence, s.article_title])));
  const h2 = document.createElement("h3");
  h2.textContent = `Quotes by the pair's speakers: ${e.quote_total}` + (e.quotes.length < e.quote_total ? ` (newest ${e.quotes.length} shown)` : "");
  box.appendChild(h2);
  box.appendChild(table(["date", "speaker", "role", "country", "kind", "quote", "article"],
    e.quotes.map(q => [q.dated, q.speaker_name, q.speaker_role, q.speaker_country, q.quote_kind, q.quote_text, q.article_title])));
}
const select = document.getElementById("pair");
select.addEventListener("change", () => show(select.value));
if (select.value) show(select.value);
</script>
</body></html>
"""


def _json_for_script(value: object) -> str:
    # Inside <script>, "</" would end the element: escape it (and U+2028/2029, which break older parsers).
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_report(data: ReportData, warehouse: str, generated: str) -> str:
    """The report page as one HTML string (charts' JavaScript inlined)."""
    charts = {"pairs": pair_matrix(data.pairs), "over-time": pairs_over_time(data.months),
              "speakers": top_speakers(data.speakers)}
    specs = {name: chart.to_dict() for name, chart in charts.items()}
    environment = Environment(autoescape=select_autoescape(default=True))
    return environment.from_string(PAGE).render(
        bundle=vl_convert.javascript_bundle(), specs=_json_for_script(specs), evidence=_json_for_script(data.evidence),
        charts=list(charts), pair_names=[f"{p['country_a']}-{p['country_b']}" for p in data.pairs],
        totals=data.totals, warehouse=warehouse, generated=generated,
    )


def write_report(con: duckdb.DuckDBPyConnection, target: Path, warehouse: str) -> Path:
    """Write the report to ``target`` (atomically) and return it."""
    html = render_report(read_report_data(con), warehouse, datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"))
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(target)
    return target

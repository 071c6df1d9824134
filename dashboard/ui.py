"""Building blocks every page uses: a table with XLSX/CSV downloads, Plotly charts with Russian titles
and axis labels, and key-figure tiles. Presentation only."""

from __future__ import annotations

import re
from collections.abc import Sequence

import plotly.express as px
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import auth, data, fmt
from dashboard.context import Context
from etl.norms import load_norms

# Streamlit's Plotly bundle has no Russian locale: the chart toolbar's tooltips are given here (Plotly's own keys).
PLOTLY_RU = {"Download plot as a PNG": "Сохранить как PNG", "Download plot": "Сохранить график", "Zoom": "Увеличить область",
             "Pan": "Сдвиг", "Zoom in": "Приблизить", "Zoom out": "Отдалить", "Autoscale": "Показать всё",
             "Reset axes": "Сбросить оси", "Box Select": "Выделить прямоугольником", "Lasso Select": "Выделить лассо",
             "Double-click to zoom back out": "Двойной щелчок — вернуть масштаб"}
PLOTLY_CONFIG = {"displaylogo": False, "locale": "ru", "locales": {"ru": {"dictionary": PLOTLY_RU}}}
SEPARATORS = ", "  # Plotly: decimal comma, space between thousands
# The empty state of a breakdown (a table of figures, not of violations): «нарушений не найдено» would be false.
NO_ROWS = "В выбранном срезе для этой таблицы нет данных."
DOWNLOADS = "_downloads"  # session key: table key → the frame shown (names, Russian headers, typed values)
FILES = "_files"  # session key: table key → the frame its XLSX and CSV downloads write (fmt.for_files of it)
DOCUMENTS = "_documents"  # session key: download key → the bytes a document's button offers (what tests compare)
DOCUMENT_MIME = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def table(ctx: Context, df: pl.DataFrame, key: str, title: str, *, drop: Sequence[str] = (),
          empty: str = "Нарушений не найдено.", height: int | None = None) -> pl.DataFrame:
    """Show a metric frame with names and Russian headers, and offer the same rows as XLSX and CSV.

    `empty` is what an empty frame means: the default suits a list of violations; a breakdown passes
    `NO_ROWS`. Returns the shown (named) frame so tests and callers see exactly what the deputy sees.
    """
    st.subheader(fmt.inert(title))
    if df.is_empty():
        st.info(empty)
        for held in (DOWNLOADS, FILES):  # not the rows of an earlier run (another day or filter) as if still shown
            st.session_state.get(held, {}).pop(key, None)
        return df
    shown = fmt.named(df, ctx.lk, tuple(drop))
    sources = fmt.source_names(df, tuple(drop))
    listing(shown, sources, key, height=height)
    st.session_state.setdefault(DOWNLOADS, {})[key] = shown
    files = fmt.for_files(shown, sources)
    st.session_state.setdefault(FILES, {})[key] = files
    left, right, _ = st.columns([1, 1, 4])
    # Files are built only when clicked (deferred), from the frame shown above: its rows, names and headers,
    # shares as the percent the screen shows with «, %» in the header (fmt.for_files).
    # Every download is audited: file, rows and the view's filters (on_click runs when it is taken).
    audit = {"table": key, "title": title, "rows": shown.height, "view": ctx.title}
    left.download_button("Скачать XLSX", lambda: fmt.to_xlsx(files, title), file_name=f"{key}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
                         on_click=auth.record, args=("download",), kwargs={**audit, "file": f"{key}.xlsx"})
    right.download_button("Скачать CSV", lambda: fmt.to_csv(files), file_name=f"{key}.csv", mime="text/csv",
                          key=f"csv_{key}", on_click=auth.record, args=("download",),
                          kwargs={**audit, "file": f"{key}.csv"})
    st.caption(f"Строк: {fmt.number(shown.height)}")
    return shown


# A long list goes to the browser a page at a time: Своевременность sent its 4 735 late marks (1.97 MB) on
# every visit, though a deputy reads the top of a list and downloads the rest.
PAGE_ROWS = 100
# The columns (metric names) a long list can be narrowed by, when they hold more than one value; a group
# (class or subgroup) only where the list has no class column.
NARROW_BY = ("teacher_id", "class_id", "group_id", "subject_id")


def listing(shown: pl.DataFrame, sources: list[str], key: str, *, height: int | None = None) -> pl.DataFrame:
    """Put a named frame (`fmt.named`) on screen and return the rows sent. Up to PAGE_ROWS rows go as they
    are; a longer list is narrowed by teacher, class or subject, ordered as a whole by any column (the
    table's own header sort orders only the rows it holds) and sent one page at a time. The caller keeps
    the count and the downloads of the whole list."""
    part = shown if shown.height <= PAGE_ROWS else _page(shown, sources, key)
    st.dataframe(fmt.as_text(part, sources), hide_index=True, width="stretch", height=height or "auto",
                 key=f"table_{key}", placeholder=fmt.NO_VALUE)
    return part


def _page(shown: pl.DataFrame, sources: list[str], key: str) -> pl.DataFrame:
    """The widgets that choose which PAGE_ROWS rows of a long list are sent, and a caption saying which."""
    page_key = f"page_{key}"

    def first_page() -> None:
        st.session_state.pop(page_key, None)

    narrow = [label for label, src in zip(shown.columns, sources, strict=True) if src in NARROW_BY
              and not (src == "group_id" and "class_id" in sources) and shown[label].n_unique() > 1]
    rows = shown
    for col, label in zip(st.columns(max(4, len(narrow))) if narrow else [], narrow, strict=False):
        values = sorted(shown[label].drop_nulls().unique().to_list(), key=_natural)
        choice = col.selectbox(label, [None, *values], format_func=lambda v: "все" if v is None else v,
                               key=f"narrow_{key}_{label}", on_change=first_page)
        if choice is not None:
            rows = rows.filter(pl.col(label) == choice)
    orderable = [c for c in shown.columns if not isinstance(shown.schema[c], pl.List)]
    cols = st.columns([3, 2, 1, 2], vertical_alignment="bottom")
    by = cols[0].selectbox("Упорядочить весь список по", [None, *orderable], key=f"order_{key}",
                            format_func=lambda c: "порядку показателя" if c is None else c, on_change=first_page)
    descending = cols[1].toggle("по убыванию", key=f"desc_{key}", disabled=by is None, on_change=first_page)
    if by is not None:  # typed values: dates by date, numbers by size, nulls last either way
        rows = rows.sort(by, descending=descending, nulls_last=True, maintain_order=True)
    pages = max(1, -(-rows.height // PAGE_ROWS))
    if st.session_state.get(page_key, 1) > pages:  # fewer pages than before (another warehouse version)
        first_page()
    page = cols[2].number_input(f"Страница из {fmt.number(pages)}", min_value=1, max_value=pages, value=1,
                                 step=1, key=page_key)
    part = rows.slice((page - 1) * PAGE_ROWS, PAGE_ROWS)
    chosen = "" if rows.height == shown.height else f" отобранных (в списке {fmt.number(shown.height)})"
    st.caption((f"Строки {fmt.number((page - 1) * PAGE_ROWS + 1)}–{fmt.number((page - 1) * PAGE_ROWS + part.height)}"
                f" из {fmt.number(rows.height)}{chosen}." if part.height else "Под отбор не попала ни одна строка.")
               + " Заголовок таблицы упорядочивает только эти строки; в файлах XLSX и CSV — весь список.")
    return part


# st.file_uploader has no parameters for its own texts: its English «Upload» button and «200MB per file • ZIP, …»
# line are replaced by a Russian button label (the page states the size limit and the file types itself).
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button > div { display: none; }
[data-testid="stFileUploaderDropzone"] button::after { content: "Выбрать файлы"; }
</style>"""


def russian_uploader() -> None:
    """Russian texts for the file uploaders of the page (call before st.file_uploader)."""
    st.html(UPLOADER_CSS)


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, separators=SEPARATORS,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, legend_title_text="")
    return fig


def chart(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)


def bar(df: pl.DataFrame, x: str, y: str, title: str, x_label: str, y_label: str, key: str, *,
        color: str | None = None, horizontal: bool = False, percent_axis: bool = False) -> None:
    fig = px.bar(df.to_pandas(), x=y if horizontal else x, y=x if horizontal else y, color=color,
                 orientation="h" if horizontal else "v", barmode="group")
    _layout(fig, title, y_label if horizontal else x_label, x_label if horizontal else y_label)
    (fig.update_xaxes if horizontal else fig.update_yaxes)(tickformat=".0%" if percent_axis else ",~r")
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
        fig.update_layout(height=max(300, 24 * df.height + 100))
    else:  # bars are categories: on a guessed numeric axis a label like «15+» (and its bar) would vanish
        fig.update_xaxes(type="category")
    chart(fig, key)


def line(df: pl.DataFrame, x: str, y: str, title: str, x_label: str, y_label: str, key: str, *,
         color: str | None = None, percent_axis: bool = False) -> None:
    fig = px.line(df.to_pandas(), x=x, y=y, color=color, markers=True)
    _layout(fig, title, x_label, y_label)
    fig.update_xaxes(tickformat="%d.%m.%Y")
    if percent_axis:
        fig.update_yaxes(tickformat=".0%")
    chart(fig, key)


def heatmap(df: pl.DataFrame, x: str, y: str, z: str, title: str, x_label: str, y_label: str, z_label: str,
            key: str, *, percent: bool = False, reverse: bool = False) -> None:
    """A y × x grid of z (e.g. teacher × week of the share in time); a date x runs in calendar order."""
    is_date = df.schema[x] == pl.Date
    keyed = df.with_columns(pl.col(x).dt.strftime("%Y-%m-%d")) if is_date else df
    wide = keyed.pivot(on=x, index=y, values=z, sort_columns=True)
    wide = wide.with_columns(pl.col(y).map_elements(_natural, return_dtype=pl.List(pl.String)).alias("_k")) \
        .sort("_k").drop("_k")  # 2А before 10А
    cols = [c for c in wide.columns if c != y]
    labels = [f"{c[8:10]}.{c[5:7]}" for c in cols] if is_date else cols
    fig = go.Figure(go.Heatmap(
        z=wide.select(cols).to_numpy(), x=labels, y=wide[y].to_list(), colorbar={"title": z_label},
        colorscale="RdYlGn_r" if reverse else "RdYlGn", hoverongaps=False,
        zmin=0 if percent else None, zmax=1 if percent else None,
        hovertemplate=f"{y_label}: %{{y}}<br>{x_label}: %{{x}}<br>{z_label}: %{{z:{'.1%' if percent else ','}}}<extra></extra>"))
    _layout(fig, title, x_label, y_label)
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(type="category")
    fig.update_layout(height=max(320, 20 * wide.height + 120))
    if percent:
        fig.update_traces(colorbar_tickformat=".0%")
    chart(fig, key)


def _natural(text: str) -> list[str]:
    """Sort key that orders numbers by value: «2А» < «10А»."""
    return [part.zfill(6) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def offer_document(ctx: Context, label: str, payload: bytes, key: str, file_name: str, kind: str, fmt_: str,
                   **detail: object) -> None:
    """A download button for a built document; taking it is recorded as a «документ» audit entry."""
    st.session_state.setdefault(DOCUMENTS, {})[key] = payload
    st.download_button(label, payload, file_name=file_name, mime=DOCUMENT_MIME[fmt_], key=key, on_click=auth.record,
                       args=("document",), kwargs={"command": kind, "file": file_name, "format": fmt_,
                                                   "view": ctx.title, **detail})


def tile(col: st.delta_generator.DeltaGenerator, label: str, value: str, delta: str | None = None,
         good_up: bool = True, help_text: str | None = None) -> None:
    """A key figure; a change without a sign (`fmt.signed` of a change that rounds to zero) is grey and has no
    arrow — st.metric would otherwise draw «+0,0 п. п.» as a green rise."""
    unchanged = delta is not None and delta[:1] not in ("+", "-")
    col.metric(label, value, delta, delta_color="off" if unchanged else "normal" if good_up else "inverse",
               delta_arrow="off" if unchanged else "auto", help=help_text)


def heading(ctx: Context, title: str, lead: str) -> None:
    st.title(title)
    st.caption(fmt.inert(ctx.title))  # class, subject and teacher names come from the journal
    st.markdown(lead)
    no_marks_note(ctx)
    invalid_entries_warning(ctx)


def no_marks_note(ctx: Context) -> None:
    """A scope of lessons only below `control.min_grade` (grade 1) keeps no marks: its topics, roll calls and
    homework are checked, but every list of marks is empty because there are none, not because all is well."""
    lessons = data.scope_lessons(ctx.ver, ctx.scope, ctx.access)
    if lessons.held and not lessons.with_marks:
        min_grade = load_norms()["control"]["min_grade"]
        st.info(f"В выбранном срезе только классы младше {min_grade}-го: в них отметки не выставляются (нормы "
                f"школы, control.min_grade = {min_grade}). Темы уроков, посещаемость и домашние задания "
                "проверяются, а показатели отметок, накопляемости и отметок за период здесь не считаются — их "
                "пустые списки не означают, что нарушений нет.", icon=":material/info:")


def invalid_entries_warning(ctx: Context) -> None:
    """Every analysis page: when its scope holds entries made by a compromised account after the report
    (regulation 4.4), say how many and of what kind, that the figures leave them out, and list them."""
    found = data.invalid_entries(ctx.ver, ctx.scope, ctx.access)
    if not found:
        return
    names = fmt.name_maps(ctx.lk)["teacher_id"]
    kinds = "; ".join(f"{kind} — {fmt.number(n)}" for kind, n in found.by_kind.items())
    accounts = ", ".join(names.get(a, a) for a in found.accounts)
    st.warning(
        f"В выбранном срезе {fmt.number(found.total)} "
        f"{fmt.plural(found.total, 'запись внесена', 'записи внесены', 'записей внесено')} "
        f"после сообщения о компрометации учётной записи ({fmt.inert(accounts)}): {kinds}. По п. 4.4 регламента "
        "они недействительны: показатели на этой странице их не учитывают. Список — ниже.",
        icon=":material/gpp_maybe:")
    with st.expander(f"Недействительные записи (п. 4.4): {fmt.number(found.total)}"):
        entries = data.metric(ctx.ver, "entry_after_compromise", ctx.scope, ctx.access)
        listing(fmt.named(entries, ctx.lk), fmt.source_names(entries), "invalid_entries")
        st.caption("Скачать список: страница «Учителя», показатель «Записи после компрометации учётной записи».")


def period_not_ended_note(ctx: Context) -> bool:
    """Results (успеваемость, качество, СОУ and their change) of a period still running are the marks entered
    so far, not the period's results: say so in words above them, naming the period, its last day and the
    day the figures are for. True when such a period is in scope."""
    running = data.periods_not_ended(ctx.ver, ctx.scope, ctx.access)
    if running.is_empty():
        return False
    st.warning(fmt.not_ended(running, markdown=True), icon=":material/hourglass_top:")
    return True

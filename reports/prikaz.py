"""Draft приказ «Об итогах проверки ведения ЭЖ» from the same findings as the справка (domain-notes §1.2
p.16: отметить / указать / обязать устранить до … / контроль оставляю за собой / ознакомлены)."""

from __future__ import annotations

from reports.model import Column, Document, Paragraph, Signature, Table
from reports.spravka import Spravka, fix_deadline, personal_breaches
from reports.text import long_date, names_sentence, number, one_or_many, short_date


def build(spravka: Spravka, director: str | None = None) -> Document:
    """The приказ as a Document; `director` «Фамилия И. О.» (default: the school's director in the warehouse)."""
    names, opt = spravka.names, spravka.options
    t = opt.templates["prikaz"]
    director = director or names.staff("директор") or "________________"
    doc = Document(title=f"Приказ «{t['title']}»", date=opt.date, author=director)
    doc.add(
        Paragraph(names.school_full_name, "center"),
        Paragraph("ПРИКАЗ", "title"),
        Paragraph(f"{long_date(opt.date)}      № {t['number']}", "center"),
        Paragraph(t["title"], "subheading"),
        Paragraph(t["preamble"].format(date=short_date(opt.date), period=spravka.period)),
        Paragraph("ПРИКАЗЫВАЮ:", "subheading"),
    )
    point = 1
    if spravka.exemplary:
        doc.add(Paragraph(f"{point}. Отметить добросовестное ведение электронного журнала "
                          f"{one_or_many(len(spravka.exemplary), 'учителем', 'учителями')}: "
                          + names_sentence(names.person(x) for x in spravka.exemplary)))
        point += 1
    if spravka.violators:
        n = len(spravka.violators)
        doc.add(Paragraph(f"{point}. Указать {one_or_many(n, 'учителю', 'учителям')} на нарушения регламента ведения "
                          "электронного журнала (справка, раздел «В ходе проверки установлено»):"))
        doc.add(Table((Column("Учитель", 22), Column("Нарушения", 78)),
                      tuple((names.person(x), personal_breaches(spravka.findings, x, spravka.options.norms)) for x in spravka.violators)))
        point += 1
        doc.add(Paragraph(f"{point}. Обязать {one_or_many(n, 'учителя, указанного', 'учителей, указанных')} "
                          f"в п. {point - 1}, "
                          f"устранить выявленные нарушения до {short_date(fix_deadline(opt))}."))
        point += 1
    invalid = spravka.findings.invalid
    if invalid:
        accounts = ", ".join(names.person(x) for x in invalid.accounts)
        by_whom = one_or_many(len(invalid.accounts), "учётной записью ({}) после сообщения о её компрометации",
                              "учётными записями ({}) после сообщения об их компрометации").format(accounts)
        doc.add(Paragraph(f"{point}. Признать недействительными (п. 4.4 регламента) записи электронного журнала, "
                          f"внесённые {by_whom}: "
                          f"{number(invalid.total)} (перечень — справка, раздел «Недействительные записи»)."))
        point += 1
    doc.add(Paragraph(f"{point}. {t['control']}"))
    doc.add(Signature(t["signer_position"], director))
    doc.add(Paragraph("С приказом ознакомлены:", "subheading"))
    # the owners of compromised accounts are named in the point that voids their entries
    people = sorted(set(spravka.exemplary) | set(spravka.violators) | set(invalid.accounts), key=names.sort_key)
    doc.add(Table((Column("№", 6, "R"), Column("Учитель", 44), Column("Подпись", 25), Column("Дата", 25)),
                  tuple((str(i), names.person(x), "", "") for i, x in enumerate(people, 1))))
    return doc

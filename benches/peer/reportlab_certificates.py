"""The ReportLab peer of dangjian's certificate benchmark (benches/throughput.rs).

Draws the same 党校结业证书 as templates/certificate.typ.j2 — A4 landscape, red and gold
double border, 结业证书 title, number, one justified CJK paragraph with a first-line indent,
特发此证, issuer and date bottom right, in the same LXGW WenKai font — one PDF per row of a
CSV, on `processes` worker processes, and prints {"docs": n, "seconds": s} (the time from
starting the workers to the last file written, font loading included).

usage: reportlab_certificates.py ROWS.csv OUT_DIR PROCESSES FONT.ttf
"""

import csv
import json
import os
import sys
import time
from multiprocessing import Pool

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

RED = HexColor("#b3202a")
GOLD = HexColor("#c8a24a")
FONT = "Kai"

_styles = {}


def _setup(font_path):
    pdfmetrics.registerFont(TTFont(FONT, font_path))
    _styles["body"] = ParagraphStyle(
        "body", fontName=FONT, fontSize=22, leading=22 * 2.25,
        firstLineIndent=44, alignment=TA_JUSTIFY, wordWrap="CJK", spaceAfter=22 * 1.25,
    )
    _styles["sign"] = ParagraphStyle(
        "sign", fontName=FONT, fontSize=22, leading=22 * 1.9, alignment=TA_CENTER,
    )


def _draw(job):
    out_dir, row = job
    name, start, end, course, number, issuer, date = row
    width, height = landscape(A4)
    path = os.path.join(out_dir, f"{number}.pdf")
    c = canvas.Canvas(path, pagesize=(width, height))
    c.setTitle(f"党校结业证书 {number}")
    c.setStrokeColor(RED)
    c.setLineWidth(3.2)
    c.rect(1 * cm, 1 * cm, width - 2 * cm, height - 2 * cm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(1 * cm + 5.6, 1 * cm + 5.6, width - 2 * cm - 11.2, height - 2 * cm - 11.2)
    c.setFillColor(RED)
    c.setFont(FONT, 50)
    c.drawCentredString(width / 2, height - 3.9 * cm, "结 业 证 书")
    c.setFillColor(HexColor("#000000"))
    c.setFont(FONT, 13)
    c.drawString(3.8 * cm, height - 4.9 * cm, f"证书编号：{number}")
    body = [
        Paragraph(
            f"学员 <u>&nbsp;{name}&nbsp;</u> 同志于{start}至{end}参加{issuer}{course}学习，"
            "经考核成绩合格，准予结业。",
            _styles["body"],
        ),
        Paragraph("特发此证。", _styles["body"]),
    ]
    Frame(3.8 * cm, 6 * cm, width - 7.6 * cm, height - 12.5 * cm, showBoundary=0).addFromList(body, c)
    sign = [Paragraph(f"{issuer}<br/>{date}", _styles["sign"])]
    Frame(width - 3.8 * cm - 12 * cm, 2.2 * cm, 12 * cm, 4.4 * cm, showBoundary=0).addFromList(sign, c)
    c.showPage()
    c.save()
    return 1


def main():
    rows_path, out_dir, processes, font_path = sys.argv[1:5]
    with open(rows_path, encoding="utf-8", newline="") as f:
        rows = [tuple(r) for r in csv.reader(f)]
    started = time.perf_counter()
    with Pool(int(processes), initializer=_setup, initargs=(font_path,)) as pool:
        done = sum(pool.imap_unordered(_draw, [(out_dir, r) for r in rows], chunksize=16))
    seconds = time.perf_counter() - started
    print(json.dumps({"docs": done, "seconds": seconds}))


if __name__ == "__main__":
    main()

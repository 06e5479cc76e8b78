#!/usr/bin/env python3
"""The inputs of BENCHMARKS.md's «Memory on any input» (issue 16): two XLSX bombs and the
largest call-center files accepted, written to the folder given (default /tmp/bombs).

  bomb-1gib-string.xlsx       1 MB: one shared string that unpacks to 1 GiB
  bomb-shown-1000-times.xlsx  8 KB: a 1 MiB shared string shown by 1,000 cells (1 GiB of text)
  llamadas-84k.xlsx           84,000 calls, inline strings, the sheet just under 64 MiB unpacked
  llamadas-200k.csv           200,000 calls, 66 MB
"""
import os, random, sys, zipfile

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bombs"
os.makedirs(out, exist_ok=True)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def skeleton(z, shared):
    z.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{SHEET_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_CT}.worksheet+xml"/>' + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_CT}.sharedStrings+xml"/>' if shared else "") + "</Types>")
    z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>' + (f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "") + "</Relationships>")


def bomb(name, mib, cells):
    """A shared string of `mib` MiB shown by `cells` cells of column A (row 1: FECHA)."""
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        skeleton(z, True)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="2" uniqueCount="2"><si><t>FECHA</t></si><si><t>'.encode())
            for _ in range(mib):
                f.write(b"A" * (1 << 20))
            f.write(b"</t></si></sst>")
        rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{0 if r == 1 else 1}</v></c></row>' for r in range(1, cells + 1))
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>')


HEADER = "ID_LLAMADA,FECHA,HORA,TIPO,ENTIDAD,UNIDAD_MEDICA,DESCRIPCION,NOMBRE,CURP,TELEFONO,CORREO,DOMICILIO"
STATES = ["Jalisco", "QRO", "Oaxaca", "Puebla", "Sonora"]


def call(i):
    narrative = "Llamada %d: no le surtieron la receta; regresó %d veces. " % (i, i % 7) + "x" * random.randint(50, 300)
    return ["CAT-%07d" % i, "02/03/2026", "09:%02d" % (i % 60), "Queja", STATES[i % 5], "Centro de Salud %d" % (i % 900), narrative, "Persona %d" % i, "", "33 %04d %04d" % (i % 10000, (i * 7) % 10000), "", ""]


def calls_xlsx(name, n):
    random.seed(1)
    columns = "ABCDEFGHIJKL"
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        skeleton(z, False)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            def row(r, values):
                return (f'<row r="{r}">' + "".join(f'<c r="{columns[j]}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(values) if v) + "</row>").encode()
            f.write(row(1, HEADER.split(",")))
            for i in range(n):
                f.write(row(i + 2, call(i)))
            f.write(b"</sheetData></worksheet>")


def calls_csv(name, n):
    random.seed(1)
    with open(os.path.join(out, name), "w") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            f.write(",".join('"%s"' % c if "," in c or ";" in c else c for c in call(i)) + "\n")


bomb("bomb-1gib-string.xlsx", 1024, 2)
bomb("bomb-shown-1000-times.xlsx", 1, 1000)
calls_xlsx("llamadas-84k.xlsx", 84000)
calls_csv("llamadas-200k.csv", 200000)

-- Fills a SQLite file (made first by the SQLite migrations, sqlite3 FILE < each) with 1,000,000
-- incoming documents drawn from the vocabulary of benches/correspondence_search.rs, for
-- TURNO_BENCH_SQLITE_FILE (BENCHMARKS.md «Correspondencia: búsqueda sobre 1,000,000 de
-- documentos»). Every sender's position and body are the same here (the bench draws them).
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
INSERT INTO units (code, name, kind) SELECT value, 'Unidad ' || value, 'direccion_general' FROM json_each('["SS","SIDSS","DGIS","DGPLADES","DGCES","DGED","DOE","CNPSS","CENETEC","DGRMYSG","DGTI","UAJ","OIC"]');
CREATE TEMP TABLE v (k TEXT, a TEXT);
INSERT INTO v VALUES ('req','["Solicitud de información sobre","Respuesta al oficio relativo a","Invitación a la reunión de trabajo sobre","Remisión del informe trimestral de","Petición de opinión técnica acerca de","Seguimiento de los acuerdos sobre","Envío de la documentación comprobatoria de","Aclaración de observaciones de auditoría a","Queja ciudadana por","Requerimiento de transparencia sobre"]'),
('top','["la campaña de vacunación contra la influenza","el abasto de medicamentos en hospitales rurales","la acreditación de unidades médicas","el padrón de beneficiarios del programa","la capacitación del personal de enfermería","el presupuesto asignado al ejercicio fiscal","la vigilancia epidemiológica del dengue","la atención materna y perinatal","los indicadores de calidad en la atención","el mantenimiento de equipo médico","la contratación de médicos especialistas","la infraestructura de los centros de salud","la referencia y contrarreferencia de pacientes","el expediente clínico electrónico","la salud mental en adolescentes"]'),
('pl','["Oaxaca","Chiapas","Guerrero","Michoacán","Yucatán","Querétaro","Sonora","Nuevo León","Jalisco","Puebla","Tabasco","Zacatecas","Hidalgo","Veracruz","Ciudad de México","Durango"]'),
('sen','["Se solicita su amable intervención para atender el asunto a la brevedad.","Se anexa copia del expediente y de los documentos que lo acompañan.","Le agradeceré informar el estado que guarda el trámite en un plazo de diez días hábiles.","La jurisdicción sanitaria reporta un incremento en la demanda de servicios.","Conforme al artículo 8 de la Ley Federal de Procedimiento Administrativo, se da respuesta.","El comité técnico revisó la propuesta y emitió observaciones puntuales.","Se adjunta el calendario de visitas de supervisión para el siguiente trimestre.","Se pide validar la información antes de su publicación en el portal.","La Secretaría de Hacienda requiere la conciliación de las cifras presupuestales.","Sin otro particular, reciba un cordial saludo."]'),
('fn','["José","María","Juan","Guadalupe","Francisco","Verónica","Jesús","Patricia","Alejandro","Martha","Ramón","Sofía","Héctor","Inés","Raúl","Mónica"]'),
('sn','["Hernández","García","Martínez","López","González","Pérez","Rodríguez","Sánchez","Ramírez","Cruz","Gómez","Flores","Morales","Vázquez","Jiménez","Reyes","Díaz","Ibáñez","Núñez","Zúñiga","Ordóñez","Peña","Muñoz","Castañeda"]'),
('un','["SIDSS","DGIS","DGPLADES","DGCES","DGED","DOE","CNPSS","CENETEC","DGRMYSG","DGTI","UAJ","OIC"]');
CREATE TEMP TABLE w AS SELECT (SELECT a FROM v WHERE k='req') req, (SELECT a FROM v WHERE k='top') top, (SELECT a FROM v WHERE k='pl') pl, (SELECT a FROM v WHERE k='sen') sen, (SELECT a FROM v WHERE k='fn') fn, (SELECT a FROM v WHERE k='sn') sn, (SELECT a FROM v WHERE k='un') un;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999),
g AS (SELECT 2024 + i / 333334 AS y, i % 333334 + 1 AS num,
  printf('%04d-%02d-%02dT%02d:%02d:00', 2024 + i / 333334, ((i % 333334) * 360 / 333334) / 30 + 1, min(((i % 333334) * 360 / 333334) % 30 + 1, 28), 9 + abs(random()) % 8, abs(random()) % 60) AS ra FROM n)
INSERT INTO incoming_documents (folio_year, folio_number, kind, sender_kind, sender_name, sender_position, sender_organization, their_number, received_at, subject, summary, priority, classification, annexes, unit, registered_by, registered_at)
SELECT y, num, 'oficio', 'externa',
 json_extract(w.fn, '$[' || (abs(random()) % 16) || ']') || ' ' || json_extract(w.sn, '$[' || (abs(random()) % 24) || ']') || ' ' || json_extract(w.sn, '$[' || (abs(random()) % 24) || ']'),
 'Director General', 'Servicios de Salud de Oaxaca',
 (CASE abs(random()) % 4 WHEN 0 THEN 'SSO/DG' WHEN 1 THEN 'DGAJ' WHEN 2 THEN 'UAF/SP' ELSE 'OF' END) || '/' || printf('%04d', abs(random()) % 9999) || '/' || y,
 ra,
 json_extract(w.req, '$[' || (abs(random()) % 10) || ']') || ' ' || json_extract(w.top, '$[' || (abs(random()) % 15) || ']') || ' en ' || json_extract(w.pl, '$[' || (abs(random()) % 16) || ']'),
 json_extract(w.sen, '$[' || (abs(random()) % 10) || ']') || ' ' || json_extract(w.sen, '$[' || (abs(random()) % 10) || ']') || ' ' || json_extract(w.sen, '$[' || (abs(random()) % 10) || ']'),
 'ordinaria', CASE WHEN abs(random()) % 20 = 0 THEN 'reservada' ELSE 'publica' END, 0,
 json_extract(w.un, '$[' || (abs(random()) % 12) || ']'), 'bench', ra || 'Z'
FROM g, w;
INSERT INTO incoming_turns (folio_year, folio_number, from_unit, unit, instruction, note, turned_by, turned_at)
SELECT folio_year, folio_number, unit, json_extract(w.un, '$[' || (abs(random()) % 12) || ']'), 'atencion', '', 'bench', registered_at FROM incoming_documents, w WHERE abs(random()) % 2 = 0;
COMMIT;
ANALYZE;

-- Fills the schema benchsearch (made first by the PostgreSQL migrations, psql -f each with
-- PGOPTIONS="-c search_path=benchsearch") with 1,000,000 incoming documents drawn from the
-- vocabulary of benches/correspondence_search.rs, for TURNO_BENCH_POSTGRES_SCHEMA=benchsearch
-- (BENCHMARKS.md «Correspondencia: búsqueda sobre 1,000,000 de documentos»).
SET search_path = benchsearch;
INSERT INTO units (code, name, kind) SELECT u, 'Unidad ' || u, 'direccion_general'
FROM unnest(ARRAY['SS','SIDSS','DGIS','DGPLADES','DGCES','DGED','DOE','CNPSS','CENETEC','DGRMYSG','DGTI','UAJ','OIC']) u;
CREATE TEMP TABLE v AS SELECT
 ARRAY['Solicitud de información sobre','Respuesta al oficio relativo a','Invitación a la reunión de trabajo sobre','Remisión del informe trimestral de','Petición de opinión técnica acerca de','Seguimiento de los acuerdos sobre','Envío de la documentación comprobatoria de','Aclaración de observaciones de auditoría a','Queja ciudadana por','Requerimiento de transparencia sobre'] AS req,
 ARRAY['la campaña de vacunación contra la influenza','el abasto de medicamentos en hospitales rurales','la acreditación de unidades médicas','el padrón de beneficiarios del programa','la capacitación del personal de enfermería','el presupuesto asignado al ejercicio fiscal','la vigilancia epidemiológica del dengue','la atención materna y perinatal','los indicadores de calidad en la atención','el mantenimiento de equipo médico','la contratación de médicos especialistas','la infraestructura de los centros de salud','la referencia y contrarreferencia de pacientes','el expediente clínico electrónico','la salud mental en adolescentes'] AS top,
 ARRAY['Oaxaca','Chiapas','Guerrero','Michoacán','Yucatán','Querétaro','Sonora','Nuevo León','Jalisco','Puebla','Tabasco','Zacatecas','Hidalgo','Veracruz','Ciudad de México','Durango'] AS pl,
 ARRAY['Se solicita su amable intervención para atender el asunto a la brevedad.','Se anexa copia del expediente y de los documentos que lo acompañan.','Le agradeceré informar el estado que guarda el trámite en un plazo de diez días hábiles.','La jurisdicción sanitaria reporta un incremento en la demanda de servicios.','Conforme al artículo 8 de la Ley Federal de Procedimiento Administrativo, se da respuesta.','El comité técnico revisó la propuesta y emitió observaciones puntuales.','Se adjunta el calendario de visitas de supervisión para el siguiente trimestre.','Se pide validar la información antes de su publicación en el portal.','La Secretaría de Hacienda requiere la conciliación de las cifras presupuestales.','Sin otro particular, reciba un cordial saludo.'] AS sen,
 ARRAY['José','María','Juan','Guadalupe','Francisco','Verónica','Jesús','Patricia','Alejandro','Martha','Ramón','Sofía','Héctor','Inés','Raúl','Mónica'] AS fn,
 ARRAY['Hernández','García','Martínez','López','González','Pérez','Rodríguez','Sánchez','Ramírez','Cruz','Gómez','Flores','Morales','Vázquez','Jiménez','Reyes','Díaz','Ibáñez','Núñez','Zúñiga','Ordóñez','Peña','Muñoz','Castañeda'] AS sn,
 ARRAY['SIDSS','DGIS','DGPLADES','DGCES','DGED','DOE','CNPSS','CENETEC','DGRMYSG','DGTI','UAJ','OIC'] AS un;
SELECT setseed(0.42);
INSERT INTO incoming_documents (folio_year, folio_number, kind, sender_kind, sender_name, sender_position,
  sender_organization, their_number, received_at, subject, summary, priority, classification, annexes, unit, registered_by, registered_at)
SELECT y, num, 'oficio', 'externa',
  v.fn[1+floor(random()*16)::int] || ' ' || v.sn[1+floor(random()*24)::int] || ' ' || v.sn[1+floor(random()*24)::int],
  'Director General', 'Servicios de Salud de Oaxaca',
  'SSO/DG/' || lpad(floor(random()*9999)::int::text, 4, '0') || '/' || y,
  ra, v.req[1+floor(random()*10)::int] || ' ' || v.top[1+floor(random()*15)::int] || ' en ' || v.pl[1+floor(random()*16)::int],
  v.sen[1+floor(random()*10)::int] || ' ' || v.sen[1+floor(random()*10)::int] || ' ' || v.sen[1+floor(random()*10)::int] || CASE WHEN random() < 0.66 THEN ' ' || v.sen[1+floor(random()*10)::int] ELSE '' END,
  'ordinaria', CASE WHEN random() < 0.05 THEN 'reservada' ELSE 'publica' END, 0,
  v.un[1+floor(random()*12)::int], 'bench', ra || 'Z'
FROM v, (SELECT 2024 + (n / 333334) AS y, (n % 333334) + 1 AS num,
   to_char(make_date(2024 + (n / 333334), ((n % 333334) * 360 / 333334) / 30 + 1, least(((n % 333334) * 360 / 333334) % 30 + 1, 28)), 'YYYY-MM-DD') || 'T' || lpad((9 + floor(random()*8))::int::text, 2, '0') || ':' || lpad(floor(random()*60)::int::text, 2, '0') || ':00' AS ra
  FROM generate_series(0, 999999) n) g;
INSERT INTO incoming_turns (folio_year, folio_number, from_unit, unit, instruction, note, turned_by, turned_at)
SELECT folio_year, folio_number, unit, (ARRAY['SIDSS','DGIS','DGPLADES','DGCES','DGED','DOE','CNPSS','CENETEC','DGRMYSG','DGTI','UAJ','OIC'])[1+floor(random()*12)::int], 'atencion', '', 'bench', registered_at
FROM incoming_documents WHERE random() < 0.5;
ANALYZE;
UPDATE incoming_documents SET
 kind = (ARRAY['oficio','memorandum','circular','escrito','correo'])[1+floor(random()*5)::int],
 sender_position = (ARRAY['Director General','Directora de Área','Subdirector de Planeación','Jefa de Departamento','Secretario de Salud del Estado','Coordinadora Estatal','Titular de la Unidad Jurídica'])[1+floor(random()*7)::int],
 sender_organization = (ARRAY['Servicios de Salud de Oaxaca','Instituto Mexicano del Seguro Social','ISSSTE','Secretaría de la Función Pública','Auditoría Superior de la Federación','INAI','Comisión Federal para la Protección contra Riesgos Sanitarios','Cámara de Diputados'])[1+floor(random()*8)::int],
 their_number = (ARRAY['SSO/DG','DGAJ','UAF/SP','OF'])[1+floor(random()*4)::int] || '/' || lpad(floor(random()*9999)::int::text, 4, '0') || '/' || folio_year;
VACUUM (ANALYZE) incoming_documents;

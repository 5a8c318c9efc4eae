-- The adapter's test keyspace: every column type with edge values, keys of every kind, names
-- that need quoting, a view and tables named like Vitess's internal ones.
-- Zero and partly-zero dates need a permissive sql_mode; TIMESTAMPs are written in +05:00 so
-- that the adapter's UTC output is visibly converted.
SET SESSION sql_mode = '';
SET SESSION time_zone = '+05:00';

CREATE TABLE all_types (
  id INT NOT NULL PRIMARY KEY,
  c_tinyint TINYINT,
  c_bool TINYINT(1),
  c_smallint SMALLINT,
  c_mediumint MEDIUMINT,
  c_int INT,
  c_bigint BIGINT,
  c_ubigint BIGINT UNSIGNED,
  c_zerofill INT(5) UNSIGNED ZEROFILL,
  c_dec_half DECIMAL(3,1),
  c_dec_neg DECIMAL(5,2),
  c_dec_big DECIMAL(38,10),
  c_float FLOAT,
  c_double DOUBLE,
  c_bit1 BIT(1),
  c_bit8 BIT(8),
  c_year YEAR,
  c_date DATE,
  c_date_nn DATE NOT NULL,
  c_datetime DATETIME,
  c_datetime6 DATETIME(6),
  c_datetime_nn DATETIME NOT NULL,
  c_timestamp TIMESTAMP NULL,
  c_timestamp6 TIMESTAMP(6) NULL,
  c_timestamp_nn TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  c_time TIME,
  c_time3 TIME(3),
  c_char CHAR(10),
  c_varchar VARCHAR(100),
  c_text TEXT,
  c_latin1 VARCHAR(20) CHARACTER SET latin1,
  c_binary BINARY(4),
  c_varbinary VARBINARY(16),
  c_blob BLOB,
  c_enum ENUM('small','medium','large'),
  c_set SET('red','green','blue'),
  c_json JSON,
  c_geometry GEOMETRY,
  c_nn_text VARCHAR(10) NOT NULL DEFAULT ''
) CHARACTER SET utf8mb4;

INSERT INTO all_types VALUES (
  1, -128, 1, 32767, -8388608, 2147483647, -9223372036854775808, 18446744073709551615, 42,
  0.5, -0.25, 12345678901234567890.0123456789, 1.5, -2.5e-10,
  b'1', b'10000001', 2024,
  '2024-02-29', '2024-02-29', '2024-02-29 13:45:00', '2024-02-29 13:45:00.123456', '1999-12-31 23:59:59',
  '2024-02-29 18:45:00', '2024-03-01 04:59:59.500000', '2000-01-01 05:00:00',
  '13:45:00', '13:45:00.125',
  'abc', '日本語 😀 ü', 'line1\nline2 "quoted" \\ end', 'café',
  x'ff00fe', x'c328ff', x'00',
  'medium', 'blue,red', '{"a": [1, 2.5], "b": "ü"}', ST_GeomFromText('POINT(1 2)'), 'x');

INSERT INTO all_types (id, c_date_nn, c_datetime_nn, c_timestamp_nn, c_nn_text)
VALUES (2, '2024-01-01', '2024-01-01 00:00:00', '2024-01-01 05:00:00', '');

INSERT INTO all_types VALUES (
  3, 0, 0, 0, 0, 0, 9223372036854775807, 0, 0,
  0.0, 0.00, -0.0000000001, 0.1, 1e300,
  b'0', b'0', 0,
  '0000-00-00', '0000-00-00', '2024-02-00 10:00:00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00',
  '0000-00-00 00:00:00', NULL, '0000-00-00 00:00:00',
  '-838:59:59', '00:00:00.000',
  '', '', '', '',
  x'', x'', x'',
  '', '', '[]', NULL, '');

-- Composite key declared in an order unlike the columns'.
CREATE TABLE order_lines (
  order_id BIGINT UNSIGNED NOT NULL,
  note VARCHAR(20),
  line_code VARCHAR(20) NOT NULL,
  seq INT NOT NULL,
  PRIMARY KEY (line_code, order_id, seq)
) CHARACTER SET utf8mb4;

INSERT INTO order_lines (order_id, note, line_code, seq)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
SELECT CAST(ELT(1 + i % 4, '0', '1', '18446744073709551614', '18446744073709551615') AS UNSIGNED),
       IF(i % 5 = 0, NULL, CONCAT('note ', i)),
       ELT(1 + i % 6, 'alpha', 'Beta', 'çedilla', '日本', '😀', 'zeta'),
       i - 30
FROM n;

CREATE TABLE events_log (kind VARCHAR(10), amount DECIMAL(10,2));
INSERT INTO events_log VALUES ('a', 1.00), ('a', 1.00), ('b', NULL), (NULL, NULL);

CREATE TABLE empty_table (id INT NOT NULL PRIMARY KEY, v VARCHAR(5));

CREATE VIEW v_order_lines AS SELECT * FROM order_lines;

-- Names that need quoting.
CREATE TABLE `order` (`select` INT NOT NULL PRIMARY KEY, `from` VARCHAR(10));
INSERT INTO `order` VALUES (1, 'one'), (2, 'two'), (3, 'three');
CREATE TABLE `with space` (`key part` INT NOT NULL, `we``ird` VARCHAR(10) NOT NULL, PRIMARY KEY (`key part`, `we``ird`));
INSERT INTO `with space` VALUES (1, 'b'), (1, 'a`b'), (2, 'a');
CREATE TABLE `back``tick` (id INT NOT NULL PRIMARY KEY, v VARCHAR(10));
INSERT INTO `back``tick` VALUES (10, 'ten'), (20, 'twenty');

-- Vitess internal tables (hidden) and user tables that merely look alike (visible).
CREATE TABLE `_vt_hld_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_` (id INT);
CREATE TABLE `_vt_drp_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_` (id INT);
CREATE TABLE `_vt_vrp_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_` (id INT);
CREATE TABLE `_vt_HOLD_6ace8bcef73211ea87e9f875a4d24e90_20200915120410` (id INT);
CREATE TABLE `_vt_PURGE_6ace8bcef73211ea87e9f875a4d24e90_20200915120410` (id INT);
CREATE TABLE `_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410` (id INT);
CREATE TABLE `_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl` (id INT);
CREATE TABLE `_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_gho` (id INT);
CREATE TABLE `my_vt_hld_x` (id INT);
CREATE TABLE `orders_vrepl` (id INT);
CREATE TABLE `_vt_custom` (id INT);
CREATE TABLE `x_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl` (id INT);
CREATE TABLE `_6ace8bce_f732_11ea_87e9_f875a4d24e90_2020091512041_vrepl` (id INT);

-- One key kind per table; where a naive binding would skip or repeat rows, the values say so.
CREATE TABLE k_unsigned (id BIGINT UNSIGNED NOT NULL PRIMARY KEY);
INSERT INTO k_unsigned VALUES (0), (1), (9223372036854775807), (9223372036854775808),
  (18446744073709551614), (18446744073709551615);

CREATE TABLE k_decimal (d DECIMAL(30,10) NOT NULL PRIMARY KEY);
INSERT INTO k_decimal VALUES (-0.25), (0.5), (12345678901234567890.1234567891),
  (12345678901234567890.1234567892), (-12345678901234567890.0000000001);

CREATE TABLE k_binary (b VARBINARY(8) NOT NULL PRIMARY KEY);
INSERT INTO k_binary VALUES (x''), (x'00'), (x'7f'), (x'c328'), (x'ff'), (x'ff00');

CREATE TABLE k_enum (e ENUM('zulu','alpha','mike') NOT NULL PRIMARY KEY);
INSERT INTO k_enum VALUES ('mike'), ('alpha'), ('zulu');

CREATE TABLE k_set (s SET('zulu','alpha','mike') NOT NULL PRIMARY KEY);
INSERT INTO k_set VALUES ('zulu'), ('alpha'), ('zulu,alpha'), ('mike'), ('');

CREATE TABLE k_bit (b BIT(8) NOT NULL PRIMARY KEY);
INSERT INTO k_bit VALUES (b'0'), (b'1'), (b'01111111'), (b'10000000'), (b'11111111');

CREATE TABLE k_text (s VARCHAR(20) NOT NULL PRIMARY KEY) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
INSERT INTO k_text VALUES ('a'), ('B'), ('c'), ('É'), ('f'), ('z'), ('日本'), ('中文'), ('😀'), ('it''s');

-- Approximate keys print rounded (1.9999999 as 2): paging on their text would skip rows.
CREATE TABLE k_float (f FLOAT NOT NULL PRIMARY KEY, v INT);
INSERT INTO k_float VALUES (1.9999998, 1), (1.9999999, 2), (2, 3), (2.0000002, 4), (3, 5);
CREATE TABLE k_double (a INT NOT NULL, d DOUBLE NOT NULL, PRIMARY KEY (a, d));
INSERT INTO k_double VALUES (1, 0.1), (1, 0.30000000000000004), (1, 0.3), (1, 1e-300), (2, 0);

CREATE TABLE k_temporal (
  y YEAR NOT NULL,
  dt DATETIME(6) NOT NULL,
  ts TIMESTAMP(3) NOT NULL DEFAULT '2000-01-01 00:00:00',
  t TIME(3) NOT NULL,
  PRIMARY KEY (y, dt, ts, t)
);
INSERT INTO k_temporal VALUES
  (2024, '2024-02-29 13:45:00.000001', '2024-02-29 18:45:00.500', '-01:00:00.000'),
  (2024, '2024-02-29 13:45:00.000001', '2024-02-29 18:45:00.500', '00:00:00.001'),
  (2024, '2024-02-29 13:45:00.000001', '2024-02-29 18:45:00.501', '00:00:00.000'),
  (2024, '2024-02-29 13:45:00.000002', '2024-02-29 18:45:00.000', '00:00:00.000'),
  (2023, '2030-01-01 00:00:00.000000', '2030-01-01 05:00:00.000', '838:59:59.000'),
  (2025, '2000-01-01 00:00:00.000000', '2000-01-01 05:00:00.000', '00:00:00.000');

ANALYZE TABLE all_types, order_lines, events_log;

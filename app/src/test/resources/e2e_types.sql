-- Every MySQL type the connector maps, with edge values; plus keys, a keyless table, a view and
-- names that need quoting. Loaded by the end-to-end tests into database e2e_types.
DROP DATABASE IF EXISTS e2e_types;
CREATE DATABASE e2e_types CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE e2e_types;
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';

CREATE TABLE every_type (
  id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  flag TINYINT(1) NULL, bit1 BIT(1) NULL, bits BIT(12) NULL,
  ti TINYINT NULL, si SMALLINT UNSIGNED NULL, mi MEDIUMINT NULL, i INT NULL, bi BIGINT NULL,
  ubi BIGINT UNSIGNED NULL, yr YEAR NULL, zf INT(5) ZEROFILL NULL,
  dec1 DECIMAL(12,4) NULL, fl FLOAT NULL, db DOUBLE NULL,
  d DATE NULL, dnn DATE NOT NULL DEFAULT '2000-01-01', dt DATETIME NULL, dt6 DATETIME(6) NULL,
  ts TIMESTAMP NULL DEFAULT NULL, tm TIME NULL, tm3 TIME(3) NULL,
  c CHAR(4) NULL, vc VARCHAR(64) NULL, tx TEXT NULL, en ENUM('small','medium','large') NULL,
  st SET('a','b','c') NULL, js JSON NULL,
  bin BINARY(4) NULL, vb VARBINARY(16) NULL, bl BLOB NULL, geo GEOMETRY NULL
);

INSERT INTO every_type (id, dnn) VALUES (1, '0000-00-00');
SET time_zone = '+02:00';
INSERT INTO every_type VALUES (2, 1, b'1', b'101', -128, 65535, -8388608, 2147483647, -9223372036854775808,
  18446744073709551615, 2024, 42, -0.2500, 1.5, -2.5e-10,
  '2024-02-29', '2024-02-29', '2024-02-29 13:45:00', '2024-02-29 13:45:00.123456',
  '2024-02-29 13:45:00', '13:45:00', '-01:02:03.500',
  '', 'Zoë 🚀 日本', '', 'medium', 'a,c', '{"k": [1, 2]}',
  X'00FF1080', X'C328', X'', ST_GeomFromText('POINT(1 2)'));
SET time_zone = '+00:00';
INSERT INTO every_type (id, flag, bit1, dec1, d, dnn, dt, vc) VALUES
  (3, 0, b'0', 0.5000, '0000-00-00', '2001-02-03', '0000-00-00 00:00:00', 'it''s "quoted" \\ back');

CREATE TABLE order_lines (shop INT NOT NULL, order_id BIGINT NOT NULL, line SMALLINT NOT NULL, sku VARCHAR(16),
  PRIMARY KEY (order_id, shop, line));
INSERT INTO order_lines VALUES (1, 10, 1, 'a'), (1, 10, 2, 'b'), (2, 10, 1, 'c'), (1, 9, 1, 'd');

CREATE TABLE keyless (note VARCHAR(32));
INSERT INTO keyless VALUES ('x'), ('y'), (NULL);

CREATE TABLE `order` (`select` INT NOT NULL PRIMARY KEY, `from` VARCHAR(8));
INSERT INTO `order` VALUES (1, 'reserved');
CREATE TABLE `my table` (`my id` INT NOT NULL PRIMARY KEY);
INSERT INTO `my table` VALUES (7);
CREATE TABLE `we``ird` (`a``b` INT NOT NULL PRIMARY KEY);
INSERT INTO `we``ird` VALUES (3);

CREATE VIEW every_flag AS SELECT id, flag FROM every_type;

-- Vitess's own tables stay hidden; a user table that merely looks alike does not
CREATE TABLE `_vt_hld_6ace8bcef73211ea87e9f875a4d24e90_20200915120410` (id INT PRIMARY KEY);
CREATE TABLE `my_vt_hld_notes` (id INT PRIMARY KEY);

CREATE TABLE many (id INT NOT NULL PRIMARY KEY, label VARCHAR(16) NOT NULL);
INSERT INTO many
  SELECT n, CONCAT('row ', n) FROM (
    SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1 AS n
    FROM (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
          UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a,
         (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
          UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b,
         (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
          UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c,
         (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
          UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e,
         (SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2) f
  ) numbers WHERE n <= 25000;

DROP USER IF EXISTS 'e2e_user'@'%';
DROP USER IF EXISTS 'e2e_user'@'localhost';
CREATE USER 'e2e_user'@'%' IDENTIFIED BY 'e2e-Pa55-w0rd!';
CREATE USER 'e2e_user'@'localhost' IDENTIFIED BY 'e2e-Pa55-w0rd!';
GRANT ALL ON e2e_types.* TO 'e2e_user'@'%';
GRANT ALL ON e2e_types.* TO 'e2e_user'@'localhost';

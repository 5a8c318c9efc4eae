-- A small shop: the sample the README's demo loads (scripts/demo.sh).
SET NAMES utf8mb4;
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE shop;

CREATE TABLE customers (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email      VARCHAR(255)    NOT NULL,
  name       VARCHAR(100)    NULL,
  vip        TINYINT(1)      NOT NULL DEFAULT 0,
  signed_up  DATETIME(3)     NOT NULL,
  updated_at TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP,
  birthday   DATE            NULL
);

CREATE TABLE products (
  sku        CHAR(8)         NOT NULL PRIMARY KEY,
  title      VARCHAR(200)    NOT NULL,
  price      DECIMAL(10,2)   NOT NULL,
  weight_kg  DOUBLE          NULL,
  category   ENUM('book','toy','food') NOT NULL,
  tags       SET('new','sale','gift')  NULL,
  details    JSON            NULL,
  thumbnail  VARBINARY(64)   NULL
);

CREATE TABLE order_items (
  order_id   INT             NOT NULL,
  line       SMALLINT        NOT NULL,
  sku        CHAR(8)         NOT NULL,
  quantity   INT             NOT NULL,
  ships_at   TIME            NULL,
  PRIMARY KEY (order_id, line)
);

-- no primary key: read in one streaming scan
CREATE TABLE audit_log (
  happened   DATETIME        NOT NULL,
  message    TEXT            NULL
);

-- views are not replicated, so discover leaves this out
CREATE VIEW vip_customers AS SELECT id, email FROM customers WHERE vip = 1;

SET time_zone = '+00:00';
INSERT INTO customers (email, name, vip, signed_up, updated_at, birthday) VALUES
  ('ada@example.com',   'Ada Lovelace',  1, '2024-02-29 13:45:00.250', '2024-03-01 08:00:00', '1815-12-10'),
  ('alan@example.com',  'Alan Turing',   0, '2024-03-01 09:00:00.000', '2024-03-01 09:00:00', '1912-06-23'),
  ('grace@example.com', 'Grace Hopper',  1, '2024-03-02 10:30:00.500', '2024-03-02 10:30:00', NULL),
  ('linus@example.com', NULL,            0, '2024-03-03 11:15:00.000', '2024-03-03 11:15:00', NULL),
  ('zoë@example.com',   'Zoë Ünicode 🚀', 0, '2024-03-04 12:00:00.000', '2024-03-04 12:00:00', '2000-01-01');

INSERT INTO products VALUES
  ('BK-00001', 'The Art of Computer Programming', 199.99, 3.2,  'book', 'gift',     '{"pages": 3168, "volumes": 4}', NULL),
  ('TY-00002', 'Wooden train',                     24.50, 0.75, 'toy',  'new,sale', NULL,                            X'89504E470D0A1A0A'),
  ('FD-00003', 'Dark chocolate',                    0.99, 0.1,  'food', NULL,       '{"cocoa": "85%"}',              NULL);

INSERT INTO order_items VALUES
  (1, 1, 'BK-00001', 1, '09:30:00'),
  (1, 2, 'FD-00003', 12, NULL),
  (2, 1, 'TY-00002', 2, '17:00:00');

INSERT INTO audit_log VALUES
  ('2024-03-01 08:00:00', 'shop opened'),
  ('2024-03-02 10:30:00', NULL);

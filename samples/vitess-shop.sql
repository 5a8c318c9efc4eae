-- The sample the README's main demo loads into the local Vitess keyspace `commerce`
-- (scripts/demo.sh), through VTGate's MySQL port. Sharded tables need a vindex: rows are spread
-- over shards -80 and 80- by a hash of their key.
DROP TABLE IF EXISTS customers, products, order_items;

CREATE TABLE customers (
  id         BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  email      VARCHAR(255)    NOT NULL,
  name       VARCHAR(100)    NULL,
  vip        TINYINT(1)      NOT NULL DEFAULT 0,
  signed_up  DATETIME(3)     NOT NULL,
  birthday   DATE            NULL
);
ALTER VSCHEMA ON customers ADD VINDEX hash(id) USING hash;

CREATE TABLE products (
  sku        CHAR(8)         NOT NULL PRIMARY KEY,
  title      VARCHAR(200)    NOT NULL,
  price      DECIMAL(10,2)   NOT NULL,
  category   ENUM('book','toy','food') NOT NULL,
  tags       SET('new','sale','gift')  NULL,
  thumbnail  VARBINARY(64)   NULL
);
ALTER VSCHEMA ON products ADD VINDEX xxhash(sku) USING xxhash;

CREATE TABLE order_items (
  order_id   INT             NOT NULL,
  line       SMALLINT        NOT NULL,
  sku        CHAR(8)         NOT NULL,
  quantity   INT             NOT NULL,
  PRIMARY KEY (order_id, line)
);
ALTER VSCHEMA ON order_items ADD VINDEX hash(order_id) USING hash;

INSERT INTO customers (id, email, name, vip, signed_up, birthday) VALUES
  (1, 'ada@example.com',   'Ada Lovelace',  1, '2024-02-29 13:45:00.250', '1815-12-10'),
  (2, 'alan@example.com',  'Alan Turing',   0, '2024-03-01 09:00:00.000', '1912-06-23'),
  (3, 'grace@example.com', 'Grace Hopper',  1, '2024-03-02 10:30:00.500', NULL),
  (4, 'linus@example.com', NULL,            0, '2024-03-03 11:15:00.000', NULL),
  (5, 'zoe@example.com',   'Zoë Ünicode 🚀', 0, '2024-03-04 12:00:00.000', '2000-01-01');

INSERT INTO products (sku, title, price, category, tags, thumbnail) VALUES
  ('BK-00001', 'The Art of Computer Programming', 199.99, 'book', 'gift',     NULL),
  ('TY-00002', 'Wooden train',                     24.50, 'toy',  'new,sale', X'89504E470D0A1A0A'),
  ('FD-00003', 'Dark chocolate',                    0.99, 'food', NULL,       NULL);

INSERT INTO order_items (order_id, line, sku, quantity) VALUES
  (1, 1, 'BK-00001', 1),
  (1, 2, 'FD-00003', 12),
  (2, 1, 'TY-00002', 2);

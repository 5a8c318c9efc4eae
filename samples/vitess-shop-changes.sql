-- What happens in the shop between the demo's two syncs: an insert, an update and a delete.
INSERT INTO customers (id, email, name, vip, signed_up) VALUES (6, 'edsger@example.com', 'Edsger Dijkstra', 0, NOW(3));
UPDATE products SET price = 19.99, tags = 'sale' WHERE sku = 'TY-00002';
DELETE FROM order_items WHERE order_id = 1 AND line = 2;

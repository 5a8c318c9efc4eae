package dev.sourcevitess.domain.model;

/** How rows are read: VStream change capture (Vitess, PlanetScale) or plain SQL (any MySQL). */
public enum ReplicationMethod {
  VSTREAM,
  STANDARD
}

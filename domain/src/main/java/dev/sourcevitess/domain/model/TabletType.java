package dev.sourcevitess.domain.model;

public enum TabletType {
  PRIMARY,
  REPLICA,
  RDONLY
}

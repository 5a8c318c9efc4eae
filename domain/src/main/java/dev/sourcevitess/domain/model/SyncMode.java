package dev.sourcevitess.domain.model;

public enum SyncMode {
  FULL_REFRESH,
  INCREMENTAL
}

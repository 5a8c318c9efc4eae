package dev.sourcevitess.domain.model;

public enum StreamStatus {
  STARTED,
  RUNNING,
  COMPLETE,
  INCOMPLETE
}

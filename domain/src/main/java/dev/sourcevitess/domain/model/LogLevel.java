package dev.sourcevitess.domain.model;

public enum LogLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR
}

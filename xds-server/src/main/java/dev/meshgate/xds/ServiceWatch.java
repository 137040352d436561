package dev.meshgate.xds;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Subscription;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One service's catalog subscription and its latest endpoints. */
final class ServiceWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);

  final String service;
  final ServiceQuery query;
  Subscription subscription;
  volatile List<Endpoint> endpoints = List.of();
  volatile boolean cancelled;

  ServiceWatch(String service, ServiceQuery query) {
    this.service = service;
    this.query = query;
  }

  void cancel() {
    cancelled = true;
    if (subscription != null) {
      try {
        subscription.cancel();
      } catch (RuntimeException e) {
        LOG.warn("cancelling the endpoint subscription of service {}", service, e);
      }
    }
  }
}

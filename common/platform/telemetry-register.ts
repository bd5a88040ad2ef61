import { serviceOfEntry, startTelemetry } from './telemetry';

// Imported first by each service's entry point, so tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) patches modules before they load.
startTelemetry(serviceOfEntry());

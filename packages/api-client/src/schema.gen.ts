// Generated from /openapi.json by `pnpm gen:api` (openapi-typescript). Do not edit.

export interface paths {
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in: trade an API key for the `ax_session` cookie (12 hours) */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Sign out: end this session and clear its cookie (needs `X-Requested-With: ax-web` with the cookie) */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the caller is */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A publisher's own packages; admins all, or one publisher's */
        get: operations["listPackages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/publishers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every publisher (admins only) */
        get: operations["listPublishers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Datasets this caller may export */
        get: operations["listDatasets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List exports, newest first */
        get: operations["listExports"];
        put?: never;
        /** Request an export (asynchronous) */
        post: operations["createExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One export */
        get: operations["getExport"];
        put?: never;
        post?: never;
        /** Cancel a queued or running export */
        delete: operations["cancelExport"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Redirect to a freshly signed URL of the file */
        get: operations["downloadExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{id}/json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A succeeded JSON export's file through the API (gzip files with Content-Encoding: gzip), for the web page's chart */
        get: operations["getExportJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List schedules */
        get: operations["listSchedules"];
        put?: never;
        /** Create a scheduled report (422 limit_reached past SCHEDULES_PER_PUBLISHER live schedules) */
        post: operations["createSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/preview-email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The e-mail a schedule's recipients get, from the real template, for the last completed period (example figures; nothing is sent) */
        post: operations["previewScheduleEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schedule */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /** Delete a schedule (its e-mailed links stop working) */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        /** Change a schedule (any field, and `paused`); adding back an unsubscribed recipient → 422 recipient_unsubscribed */
        patch: operations["updateSchedule"];
        trace?: never;
    };
    "/v1/schedules/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Runs of a schedule with their deliveries */
        get: operations["listScheduleRuns"];
        put?: never;
        /** Run the report now for a completed period (backfill) */
        post: operations["runSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/report-links/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The download link in report e-mails: one signed token per delivery (recipient and run), no bearer token */
        get: operations["followReportLink"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/unsubscribe/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Unsubscribe page of a report e-mail: a button, changes nothing */
        get: operations["showUnsubscribe"];
        put?: never;
        /** Unsubscribe this address from this schedule (the button, or RFC 8058 one-click) */
        post: operations["unsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/unsubscribe/{token}/undo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Undo an unsubscribe (only the recipient can) */
        post: operations["undoUnsubscribe"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys with their last use (admins) */
        get: operations["listApiKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key at once (admins); its sessions end and the schedules it created are paused (creator_key_revoked) */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retention cutoff, next deletion, the kept months and the caller's months at risk */
        get: operations["getRetention"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: PostgreSQL, Redis and S3 reachable */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: served on the ops port (METRICS_PORT, default 9466), not on the API port */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Swagger UI for this document */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** bull-board queue dashboard (admins: bearer key or session cookie) */
        get: operations["getQueueDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        CreateExport: {
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format: "csv" | "json";
            /** @default UTC */
            timezone?: string;
            /**
             * @default day
             * @enum {string}
             */
            granularity?: "day" | "week" | "month";
            /**
             * @default none
             * @enum {string}
             */
            compression?: "none" | "gzip";
            /** @default false */
            csv_bom?: boolean;
            /** @default {} */
            filters?: {
                package_ids?: string[];
                publisher_id?: string;
            };
            from: string;
            to: string;
        };
        CreateSchedule: {
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format: "csv" | "json";
            /** @default UTC */
            timezone?: string;
            /**
             * @default day
             * @enum {string}
             */
            granularity?: "day" | "week" | "month";
            /**
             * @default none
             * @enum {string}
             */
            compression?: "none" | "gzip";
            /** @default false */
            csv_bom?: boolean;
            /** @default {} */
            filters?: {
                package_ids?: string[];
                publisher_id?: string;
            };
            /** @enum {string} */
            frequency: "weekly" | "monthly";
            recipients: string[];
            /** @default  */
            name?: string;
            /** @default [] */
            failure_contacts?: string[];
        };
        PatchSchedule: {
            /** @enum {string} */
            dataset?: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format?: "csv" | "json";
            timezone?: string;
            /** @enum {string} */
            granularity?: "day" | "week" | "month";
            /** @enum {string} */
            compression?: "none" | "gzip";
            csv_bom?: boolean;
            filters?: {
                package_ids?: string[];
                publisher_id?: string;
            };
            /** @enum {string} */
            frequency?: "weekly" | "monthly";
            recipients?: string[];
            name?: string;
            failure_contacts?: string[];
            paused?: boolean;
        };
        Backfill: {
            /** Format: date */
            period_start: string;
            /** @default false */
            resend?: boolean;
        };
        CreateSession: {
            token: string;
        };
        EmailPreviewRequest: {
            /** @default  */
            name?: string;
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format: "csv" | "json";
            /** @enum {string} */
            frequency: "weekly" | "monthly";
            /** @default UTC */
            timezone?: string;
            /**
             * @default none
             * @enum {string}
             */
            compression?: "none" | "gzip";
        };
        Export: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format: "csv" | "json";
            /** @enum {string} */
            compression: "none" | "gzip";
            csv_bom: boolean;
            from: string;
            to: string;
            timezone: string;
            /** @enum {string} */
            granularity: "day" | "week" | "month";
            filters: {
                package_ids?: string[];
                publisher_id?: string;
            };
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "expired";
            /**
             * Format: date-time
             * @description RFC 3339 timestamp (UTC)
             */
            created_at: string;
            started_at: string | null;
            finished_at: string | null;
            progress: {
                rows_written: number;
            };
            result: {
                row_count: number;
                bytes: number;
                sha256: string;
                content_type: string;
                file_name: string;
                /** Format: uri */
                download_url?: string;
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                download_url_expires_at?: string;
                expired_at?: string | null;
            } | null;
            error: {
                code: string;
                message: string;
            } | null;
            schedule_id: string | null;
        };
        ExportJsonFile: {
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            granularity: "day" | "week" | "month";
            timezone: string;
            from: string;
            to: string;
            periods: {
                /** @description YYYY-MM-DD */
                period_start: string;
                /** @description YYYY-MM-DD */
                period_end: string;
                metrics: {
                    [key: string]: unknown;
                };
            }[];
        };
        ExportList: {
            data: {
                /** Format: uuid */
                id: string;
                /** @enum {string} */
                dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
                /** @enum {string} */
                format: "csv" | "json";
                /** @enum {string} */
                compression: "none" | "gzip";
                csv_bom: boolean;
                from: string;
                to: string;
                timezone: string;
                /** @enum {string} */
                granularity: "day" | "week" | "month";
                filters: {
                    package_ids?: string[];
                    publisher_id?: string;
                };
                /** @enum {string} */
                status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "expired";
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                created_at: string;
                started_at: string | null;
                finished_at: string | null;
                progress: {
                    rows_written: number;
                };
                result: {
                    row_count: number;
                    bytes: number;
                    sha256: string;
                    content_type: string;
                    file_name: string;
                    /** Format: uri */
                    download_url?: string;
                    /**
                     * Format: date-time
                     * @description RFC 3339 timestamp (UTC)
                     */
                    download_url_expires_at?: string;
                    expired_at?: string | null;
                } | null;
                error: {
                    code: string;
                    message: string;
                } | null;
                schedule_id: string | null;
            }[];
            next_cursor: string | null;
        };
        Schedule: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @enum {string} */
            dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
            /** @enum {string} */
            format: "csv" | "json";
            /** @enum {string} */
            frequency: "weekly" | "monthly";
            recipients: string[];
            /** @description Read only: recipients who unsubscribed (lower-cased); their deliveries are suppressed, and the owner cannot add them back (422 recipient_unsubscribed) */
            unsubscribed: string[];
            timezone: string;
            /** @enum {string} */
            granularity: "day" | "week" | "month";
            /** @enum {string} */
            compression: "none" | "gzip";
            csv_bom: boolean;
            filters: {
                package_ids?: string[];
                publisher_id?: string;
            };
            paused: boolean;
            /** @description Why it is paused: by a PATCH (user), after REPORT_FAILURES_BEFORE_PAUSE failed runs in a row (failing), or because the key that created it was revoked; resuming clears it */
            paused_reason: ("user" | "failing" | "creator_key_revoked") | null;
            /** @description Who gets one e-mail when the schedule is paused for failing */
            failure_contacts: string[];
            next_run_at: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 timestamp (UTC)
             */
            created_at: string;
            /**
             * Format: date-time
             * @description RFC 3339 timestamp (UTC)
             */
            updated_at: string;
        };
        ScheduleList: {
            data: {
                /** Format: uuid */
                id: string;
                name: string;
                /** @enum {string} */
                dataset: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
                /** @enum {string} */
                format: "csv" | "json";
                /** @enum {string} */
                frequency: "weekly" | "monthly";
                recipients: string[];
                /** @description Read only: recipients who unsubscribed (lower-cased); their deliveries are suppressed, and the owner cannot add them back (422 recipient_unsubscribed) */
                unsubscribed: string[];
                timezone: string;
                /** @enum {string} */
                granularity: "day" | "week" | "month";
                /** @enum {string} */
                compression: "none" | "gzip";
                csv_bom: boolean;
                filters: {
                    package_ids?: string[];
                    publisher_id?: string;
                };
                paused: boolean;
                /** @description Why it is paused: by a PATCH (user), after REPORT_FAILURES_BEFORE_PAUSE failed runs in a row (failing), or because the key that created it was revoked; resuming clears it */
                paused_reason: ("user" | "failing" | "creator_key_revoked") | null;
                /** @description Who gets one e-mail when the schedule is paused for failing */
                failure_contacts: string[];
                next_run_at: string | null;
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                created_at: string;
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                updated_at: string;
            }[];
            next_cursor: string | null;
        };
        ApiKeyList: {
            data: {
                /** Format: uuid */
                id: string;
                name: string;
                /** @enum {string} */
                role: "admin" | "publisher";
                publisher_id: string | null;
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                created_at: string;
                /** @description Recorded at most once a minute */
                last_used_at: string | null;
                revoked_at: string | null;
            }[];
        };
        Run: {
            /** Format: uuid */
            id: string;
            /** @description YYYY-MM-DD */
            period_start: string;
            /** @description YYYY-MM-DD */
            period_end: string;
            /** @enum {string} */
            status: "queued" | "running" | "succeeded" | "failed";
            resend: boolean;
            export_id: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 timestamp (UTC)
             */
            created_at: string;
            finished_at: string | null;
            deliveries: {
                /** Format: email */
                recipient: string;
                /** @enum {string} */
                status: "pending" | "sent" | "failed" | "suppressed";
                sent_at: string | null;
                error: string | null;
            }[];
        };
        RunList: {
            data: {
                /** Format: uuid */
                id: string;
                /** @description YYYY-MM-DD */
                period_start: string;
                /** @description YYYY-MM-DD */
                period_end: string;
                /** @enum {string} */
                status: "queued" | "running" | "succeeded" | "failed";
                resend: boolean;
                export_id: string | null;
                /**
                 * Format: date-time
                 * @description RFC 3339 timestamp (UTC)
                 */
                created_at: string;
                finished_at: string | null;
                deliveries: {
                    /** Format: email */
                    recipient: string;
                    /** @enum {string} */
                    status: "pending" | "sent" | "failed" | "suppressed";
                    sent_at: string | null;
                    error: string | null;
                }[];
            }[];
        };
        DatasetList: {
            data: {
                /** @enum {string} */
                id: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
                formats: ("csv" | "json")[];
                columns: string[];
                granularities: ("day" | "week" | "month")[];
                /** @description YYYY-MM-DD */
                oldest_available: string;
            }[];
        };
        /** @description The retention cutoff, the next deletion and the months at risk (see the retention section of the README) */
        Retention: {
            retention_months: number;
            /** @description YYYY-MM-DD */
            today: string;
            /** @description Oldest day kept; rows dated before it are deleted */
            cutoff: string;
            daily_pass: {
                time: string;
                timezone: string;
            };
            next_deletion: {
                /** @description YYYY-MM */
                month: string;
                /** @description First day of the month still kept */
                from: string;
                /** @description First day of the next month (exclusive) */
                to: string;
                /** @description The first daily pass that deletes any of the month */
                deletion_starts_on: string;
                /** @description The daily pass after which none of the month is left */
                fully_deleted_on: string;
            };
            horizon_days: number;
            /** @description The caller's months due for deletion within horizon_days that were never exported */
            unexported_months: {
                /** @description YYYY-MM */
                month: string;
                /** @description First day of the month still kept */
                from: string;
                /** @description First day of the next month (exclusive) */
                to: string;
                /** @description The first daily pass that deletes any of the month */
                deletion_starts_on: string;
                /** @description The daily pass after which none of the month is left */
                fully_deleted_on: string;
            }[];
            /** @description Every month still (partly) kept, oldest first */
            months: {
                /** @description YYYY-MM */
                month: string;
                /** @description First day of the month still kept */
                from: string;
                /** @description First day of the next month (exclusive) */
                to: string;
                /** @description The first daily pass that deletes any of the month */
                deletion_starts_on: string;
                /** @description The daily pass after which none of the month is left */
                fully_deleted_on: string;
            }[];
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "unavailable";
            checks: {
                postgres: boolean;
                redis: boolean;
                s3: boolean;
            };
        };
        Health: {
            /** @constant */
            status: "ok";
        };
        Session: {
            /** @enum {string} */
            role: "admin" | "publisher";
            publisher_id: string | null;
            /**
             * Format: date-time
             * @description RFC 3339 timestamp (UTC)
             */
            expires_at: string;
        };
        Me: {
            /** @enum {string} */
            role: "admin" | "publisher";
            publisher_id: string | null;
            /** Format: uuid */
            key_id: string;
            key_name: string;
        };
        PackageList: {
            data: {
                package_id: string;
                name: string;
                publisher_id: string;
            }[];
        };
        PublisherList: {
            data: {
                publisher_id: string;
                name: string;
            }[];
        };
        EmailPreview: {
            subject: string;
            text: string;
            html: string;
            /** @description YYYY-MM-DD */
            period_start: string;
            /** @description YYYY-MM-DD */
            period_end: string;
        };
        Error: {
            error: {
                code: string;
                message: string;
                details: {
                    field: string;
                    message: string;
                }[];
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSession"];
            };
        };
        responses: {
            /** @description Signed in; `Set-Cookie: ax_session=…; HttpOnly; SameSite=Strict; Path=/` */
            201: {
                headers: {
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPackages: {
        parameters: {
            query?: {
                publisher_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Packages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PackageList"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPublishers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Publishers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublisherList"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDatasets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Datasets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetList"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listExports: {
        parameters: {
            query?: {
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "expired";
                dataset?: "install_events" | "reviews" | "version_adoption" | "geographic_summary" | "reputation_events" | "marketplace_summary" | "leaderboard_history";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of exports */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportList"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body → the same export; same key, other body → 409 */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateExport"];
            };
        };
        responses: {
            /** @description Accepted; `Location` points at the export */
            202: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Valid but impossible, e.g. outside_retention, range_too_large, limit_reached, recipient_unsubscribed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (too many active exports; REPORT_MANUAL_RUNS_PER_DAY manual runs of a schedule); code rate_limited, see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency (e.g. the job queue) is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The export id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The export id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled export */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Export"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The export id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirect to the file */
            302: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Gone: the export file expired (code `expired`, EXPORT_FILE_TTL_DAYS after it was written) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExportJson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The export id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JSON file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportJsonFile"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict with the current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSchedules: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of schedules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScheduleList"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSchedule"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Valid but impossible, e.g. outside_retention, range_too_large, limit_reached, recipient_unsubscribed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    previewScheduleEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailPreviewRequest"];
            };
        };
        responses: {
            /** @description The rendered e-mail */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailPreview"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The schedule id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The schedule id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The schedule id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchSchedule"];
            };
        };
        responses: {
            /** @description The schedule */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Valid but impossible, e.g. outside_retention, range_too_large, limit_reached, recipient_unsubscribed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listScheduleRuns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The schedule id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunList"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The schedule id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Backfill"];
            };
        };
        responses: {
            /** @description The existing run for this period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description A new run was started */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            /** @description Invalid input; `details` names each bad field (unknown fields are refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Valid but impossible, e.g. outside_retention, range_too_large, limit_reached, recipient_unsubscribed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Rate limited (too many active exports; REPORT_MANUAL_RUNS_PER_DAY manual runs of a schedule); code rate_limited, see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A dependency (e.g. the job queue) is unavailable; see Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    followReportLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The signed token from the e-mail */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirect to a short-lived signed URL of the file */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Tampered or expired token; the expiry is never honoured beyond LINK_TTL_DAYS from the send (an HTML page) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The schedule was deleted, or the file is gone or expired (an HTML page; with Accept: application/json an expired file is the error `expired`) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    showUnsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The signed token from the e-mail */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page with an Unsubscribe (or Undo) button */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Tampered token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The schedule was deleted */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    unsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The signed token from the e-mail */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unsubscribed; the page offers Undo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Tampered token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The schedule was deleted */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    undoUnsubscribe: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The signed token from the e-mail */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Subscribed again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Tampered token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The schedule was deleted */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The API key id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (also when it already was) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not found (also for other principals' objects) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Retention status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Retention"];
                };
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description Not ready; see `checks` and Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HTML */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getQueueDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dashboard (HTML) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description A browser page load without a session: to /sign-in and back */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or unknown credentials, or an ended session */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not allowed for this caller; `csrf_required` for a cookie-authenticated change without `X-Requested-With: ax-web` */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}

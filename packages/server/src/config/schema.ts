import { z } from "zod";
import { checkConfigReports, reportsSchema } from "./reports.js";

/** Project roles, from least to most privileged (Mixpanel's service-account roles). */
export const ROLES = ["consumer", "analyst", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

const secretField = z.string().min(1);

/**
 * The `--config` file: organization, projects (with optional saved reports) and service accounts. Secrets
 * may be given in clear (`secret`, `apiSecret`) or already hashed (`secretHash`, `apiSecretHash`, as
 * `mpkit serve` writes them when it creates a config itself).
 */
export const configSchema = z
  .object({
    organization: z.object({ id: z.number().int().positive(), name: z.string().min(1) }).strict(),
    projects: z
      .array(
        z
          .object({
            id: z.number().int().positive(),
            name: z.string().min(1),
            token: z.string().min(1),
            apiSecret: secretField.optional(),
            apiSecretHash: z.string().optional(),
            timezone: z.string().default("UTC").refine(isTimeZone, {
              message: "must be an IANA time zone name, e.g. UTC or America/New_York",
            }),
            identityMerge: z.enum(["simplified", "original"]).default("simplified"),
            /** Saved funnels, cohorts and Insights reports (bookmarks), loaded into the reports store at start. */
            reports: reportsSchema.optional(),
          })
          .strict(),
      )
      .min(1),
    serviceAccounts: z
      .array(
        z
          .object({
            username: z.string().min(1),
            secret: secretField.optional(),
            secretHash: z.string().optional(),
            organizationRole: z.enum(ROLES).optional(),
            projects: z.array(z.object({ id: z.number().int().positive(), role: z.enum(ROLES) }).strict()),
          })
          .strict()
          .refine((sa) => sa.secret !== undefined || sa.secretHash !== undefined, {
            message: "needs `secret` or `secretHash`",
          }),
      )
      .default([]),
    /**
     * Query API and JQL quotas per project, all off unless set (Mixpanel's own: 60 per hour, 5 at once);
     * `timeoutMs` answers Mixpanel's `Timeout Error.` past that time.
     */
    limits: z
      .object({
        query: z
          .object({
            perHour: z.number().int().positive().optional(),
            concurrent: z.number().int().positive().optional(),
            timeoutMs: z.number().int().positive().optional(),
          })
          .strict()
          .optional(),
        /** JQL sandbox limits (Mixpanel: a 2-minute timeout); unset fields keep the defaults in docs/jql.md. */
        jql: z
          .object({
            timeoutMs: z.number().int().positive().optional(),
            memoryMb: z.number().int().min(16).optional(),
            maxOutputBytes: z.number().int().positive().optional(),
            batchSize: z.number().int().positive().optional(),
            maxConcurrentPerProject: z.number().int().positive().optional(),
            maxConcurrent: z.number().int().positive().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<number>();
    const tokens = new Set<string>();
    config.projects.forEach((p, i) => {
      if (ids.has(p.id))
        ctx.addIssue({ code: "custom", path: ["projects", i, "id"], message: "duplicate project id" });
      if (tokens.has(p.token)) {
        ctx.addIssue({ code: "custom", path: ["projects", i, "token"], message: "duplicate project token" });
      }
      ids.add(p.id);
      tokens.add(p.token);
      for (const issue of checkConfigReports(p)) {
        ctx.addIssue({ code: "custom", path: ["projects", i, ...issue.path], message: issue.message });
      }
    });
    const names = new Set<string>();
    config.serviceAccounts.forEach((sa, i) => {
      if (names.has(sa.username)) {
        ctx.addIssue({
          code: "custom",
          path: ["serviceAccounts", i, "username"],
          message: "duplicate username",
        });
      }
      names.add(sa.username);
      sa.projects.forEach((p, j) => {
        if (!ids.has(p.id)) {
          ctx.addIssue({
            code: "custom",
            path: ["serviceAccounts", i, "projects", j, "id"],
            message: `unknown project ${p.id}`,
          });
        }
      });
    });
  });

export type MpkitConfig = z.infer<typeof configSchema>;
export type ProjectConfig = MpkitConfig["projects"][number];
export type ServiceAccountConfig = MpkitConfig["serviceAccounts"][number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Formats zod issues as one line each, naming the offending key. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
}

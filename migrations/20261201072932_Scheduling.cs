using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContextDiffusion.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Scheduling : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dataset_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    resolution = table.Column<int>(type: "integer", nullable: false),
                    bucket = table.Column<string>(type: "text", nullable: false),
                    prefix = table.Column<string>(type: "text", nullable: false),
                    item_count = table.Column<int>(type: "integer", nullable: false),
                    domain_counts_json = table.Column<string>(type: "jsonb", nullable: false),
                    checksums_json = table.Column<string>(type: "jsonb", nullable: false),
                    skipped_json = table.Column<string>(type: "jsonb", nullable: false),
                    worker = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "retrain_cycles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    schedule_name = table.Column<string>(type: "text", nullable: false),
                    schedule_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    model_name = table.Column<string>(type: "text", nullable: false),
                    baseline_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    training_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    evaluation_limit = table.Column<int>(type: "integer", nullable: true),
                    candidate_version_id = table.Column<Guid>(type: "uuid", nullable: true),
                    candidate_evaluation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    baseline_evaluation_id = table.Column<Guid>(type: "uuid", nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_retrain_cycles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cron = table.Column<string>(type: "text", nullable: false),
                    parameters_json = table.Column<string>(type: "jsonb", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    misfire = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "evaluation_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    model_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    dataset_version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    limit = table.Column<int>(type: "integer", nullable: true),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    schedule_name = table.Column<string>(type: "text", nullable: true),
                    metrics_json = table.Column<string>(type: "jsonb", nullable: true),
                    grid_bucket = table.Column<string>(type: "text", nullable: true),
                    grid_key = table.Column<string>(type: "text", nullable: true),
                    worker = table.Column<string>(type: "text", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_evaluation_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_evaluation_runs_dataset_versions_dataset_version_id",
                        column: x => x.dataset_version_id,
                        principalTable: "dataset_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_evaluation_runs_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "schedule_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    schedule_name = table.Column<string>(type: "text", nullable: false),
                    fire_instance_id = table.Column<string>(type: "text", nullable: false),
                    cause = table.Column<string>(type: "text", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    scheduled_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    result_json = table.Column<string>(type: "jsonb", nullable: true),
                    retry_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedule_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_schedule_runs_schedules_schedule_name",
                        column: x => x.schedule_name,
                        principalTable: "schedules",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dataset_versions_name_version",
                table: "dataset_versions",
                columns: new[] { "name", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dataset_versions_run_id",
                table: "dataset_versions",
                column: "run_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_runs_dataset_version_id",
                table: "evaluation_runs",
                column: "dataset_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_runs_model_version_id_created_at",
                table: "evaluation_runs",
                columns: new[] { "model_version_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_retrain_cycles_state",
                table: "retrain_cycles",
                column: "state");

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_fire_instance_id",
                table: "schedule_runs",
                column: "fire_instance_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_schedule_runs_schedule_name_started_at",
                table: "schedule_runs",
                columns: new[] { "schedule_name", "started_at" });

            // Quartz's own tables (AdoJobStore), in the same database.
            migrationBuilder.Sql(QuartzSchema.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "evaluation_runs");

            migrationBuilder.DropTable(
                name: "retrain_cycles");

            migrationBuilder.DropTable(
                name: "schedule_runs");

            migrationBuilder.DropTable(
                name: "dataset_versions");

            migrationBuilder.DropTable(
                name: "schedules");
            migrationBuilder.Sql(QuartzSchema.Drop);
        }
    }
}

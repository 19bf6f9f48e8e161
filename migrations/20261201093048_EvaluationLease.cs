using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContextDiffusion.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class EvaluationLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "evaluation_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_expires_at",
                table: "evaluation_runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "evaluation_runs",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_evaluation_runs_state_lease_expires_at",
                table: "evaluation_runs",
                columns: new[] { "state", "lease_expires_at" });

            // Evaluations left running before leases existed have no worker renewing them: recovery queues them again.
            migrationBuilder.Sql("UPDATE evaluation_runs SET lease_expires_at = now() WHERE state = 'Running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_evaluation_runs_state_lease_expires_at",
                table: "evaluation_runs");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "evaluation_runs");

            migrationBuilder.DropColumn(
                name: "lease_expires_at",
                table: "evaluation_runs");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "evaluation_runs");
        }
    }
}

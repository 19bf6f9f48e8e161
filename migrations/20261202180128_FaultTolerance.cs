using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContextDiffusion.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FaultTolerance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "outbox",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "parked_until",
                table: "outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "output_sha256",
                table: "items",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "outputs_swept_at",
                table: "batches",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_error",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "parked_until",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "output_sha256",
                table: "items");

            migrationBuilder.DropColumn(
                name: "outputs_swept_at",
                table: "batches");
        }
    }
}

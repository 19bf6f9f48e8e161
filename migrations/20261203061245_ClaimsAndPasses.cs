using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContextDiffusion.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ClaimsAndPasses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "claims",
                table: "items",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "pass_log",
                table: "items",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "pass_started_at",
                table: "items",
                type: "timestamp with time zone",
                nullable: true);

            // Attempts used to be counted per claim and outputs keyed by them: claim numbers continue from there,
            // so no new output key can meet an old one. An item running at the upgrade counted its attempt when
            // claimed, so it is taken as begun: recovery then charges or finishes it as before.
            migrationBuilder.Sql("UPDATE items SET claims = attempts");
            migrationBuilder.Sql("UPDATE items SET pass_started_at = started_at WHERE state = 'Running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "claims",
                table: "items");

            migrationBuilder.DropColumn(
                name: "pass_log",
                table: "items");

            migrationBuilder.DropColumn(
                name: "pass_started_at",
                table: "items");
        }
    }
}

using OrderSystem.Gateway.Apis;
using OrderSystem.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseGatewayPipeline();

app.MapDefaultEndpoints();
app.MapOrdersApi();
app.MapProductsApi();

app.Run();

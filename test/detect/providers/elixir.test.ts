import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-elixir-'));
}

const mix = (app: string, deps: string, extra = '') => `defmodule ${app}.MixProject do\n  use Mix.Project\n  def project do\n    [app: :${app.toLowerCase()}, version: "0.1.0", elixir: "~> 1.16", deps: deps()${extra}]\n  end\n  def application, do: [mod: {${app}.Application, []}]\n  defp deps do\n    [\n${deps}\n    ]\n  end\nend\n`;

describe('Elixir', () => {
  it('describes an umbrella root as the one release and its apps as part of it', async () => {
    const t = await detectFiles({
      'mix.exs': 'defmodule Shop.Umbrella.MixProject do\n  use Mix.Project\n  def project do\n    [apps_path: "apps", version: "0.1.0", deps: [], releases: [shop: [applications: [shop: :permanent, shop_web: :permanent]]]]\n  end\nend\n',
      'apps/shop/mix.exs': mix('Shop', '      {:ecto_sql, "~> 3.10"},\n      {:myxql, ">= 0.0.0"}'),
      'apps/shop/lib/shop/repo.ex': 'defmodule Shop.Repo do\n  use Ecto.Repo, otp_app: :shop, adapter: Ecto.Adapters.MyXQL\nend\n',
      'apps/shop_web/mix.exs': mix('ShopWeb', '      {:phoenix, "~> 1.7"},\n      {:shop, in_umbrella: true}'),
      'apps/shop_web/config/runtime.exs': 'import Config\nport = String.to_integer(System.get_env("PORT") || "4400")\n',
    });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ name: 'shop', path: '.', framework: 'phoenix', port: 4400, backingServices: ['mysql'], commands: { build: 'mix release', start: 'bin/shop start' } });
  });

  it('reads a Bandit port and takes the version constraint as the runtime version', async () => {
    const t = await detectFiles({
      'mix.exs': mix('Pinger', '      {:bandit, "~> 1.5"},\n      {:redix, "~> 1.5"},\n      {:credo, "~> 1.7", only: [:dev, :test], runtime: false}'),
      'lib/pinger/application.ex': 'defmodule Pinger.Application do\n  def start(_, _) do\n    children = [{Bandit, plug: Pinger.Router, port: 4100}]\n    Supervisor.start_link(children, strategy: :one_for_one)\n  end\nend\n',
    });
    expect(t.services[0]).toMatchObject({ framework: null, port: 4100, runtimeVersion: '1.16', backingServices: ['redis'] });
  });

  it('runs an OTP application without a web server as a worker and a plain library not at all', async () => {
    const worker = await detectFiles({ 'mix.exs': mix('Consumer', '      {:broadway_rabbitmq, "~> 0.8"}') });
    expect(worker.services[0]).toMatchObject({ role: 'worker', port: null, backingServices: ['rabbitmq'] });
    const lib = await detectFiles({ 'mix.exs': 'defmodule Util.MixProject do\n  use Mix.Project\n  def project, do: [app: :util, version: "0.1.0", deps: []]\nend\n' });
    expect(lib.services).toEqual([]);
  });
});

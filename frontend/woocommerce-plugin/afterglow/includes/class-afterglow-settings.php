<?php
/**
 * Settings › Afterglow: where the Afterglow app lives.
 *
 * @package Afterglow
 */

defined( 'ABSPATH' ) || exit;

/**
 * One setting for now: the app's URL, which serves the widget and the storefront API.
 */
class Afterglow_Settings {

	/**
	 * Registers the option (on `admin_init`).
	 */
	public static function register() {
		register_setting(
			'afterglow',
			'afterglow_app_url',
			array(
				'type'              => 'string',
				'sanitize_callback' => 'esc_url_raw',
				'default'           => 'https://app.afterglow.app',
			)
		);
	}

	/**
	 * Adds the page (on `admin_menu`).
	 */
	public static function menu() {
		add_options_page( 'Afterglow', 'Afterglow', 'manage_woocommerce', 'afterglow', array( __CLASS__, 'page' ) );
	}

	/**
	 * The settings page.
	 */
	public static function page() {
		echo '<div class="wrap"><h1>Afterglow</h1><form method="post" action="options.php">';
		settings_fields( 'afterglow' );
		echo '<table class="form-table"><tr><th scope="row"><label for="afterglow_app_url">' . esc_html__( 'Afterglow app URL', 'afterglow' ) . '</label></th>';
		echo '<td><input type="url" class="regular-text" id="afterglow_app_url" name="afterglow_app_url" value="' . esc_attr( Afterglow_Widget::app_url() ) . '">';
		echo '<p class="description">' . esc_html__( 'Put [afterglow_tracking] or the "Order tracking" block on any page to show the tracking form.', 'afterglow' ) . '</p></td></tr></table>';
		submit_button();
		echo '</form>';
		// Connecting hands the store's address to Afterglow, which sends the merchant back here to approve its
		// access with WooCommerce's own key-granting screen (wc-auth).
		$connect = add_query_arg( 'store_url', rawurlencode( home_url( '/' ) ), trailingslashit( Afterglow_Widget::app_url() ) . 'connect/woocommerce' );
		echo '<h2>' . esc_html__( 'Connection', 'afterglow' ) . '</h2>';
		echo '<p><a class="button button-primary" href="' . esc_url( $connect ) . '">' . esc_html__( 'Connect this store to Afterglow', 'afterglow' ) . '</a></p>';
		echo '</div>';
	}
}
